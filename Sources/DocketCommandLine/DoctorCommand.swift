import ArgumentParser
import DocketSQLite
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `docket doctor`: the journal's schema, integrity, size, WAL, runners and leader, and the SQLite in use.
/// Exits 1 when it finds a problem (a failed integrity check, job counts that disagree with the
/// jobs); `--rebuild-counts` recounts the jobs first.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a journal: schema version, integrity, job counts, WAL size, who runs it, SQLite version.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Recount every job into the journal's counts before checking (writes to the journal).")
    var rebuildCounts = false

    struct Report: Encodable {
        var journal: String
        var schemaVersion: Int
        var supportedSchemaVersion: Int
        var integrity: [String]
        /// Keys whose kept count differs from their jobs; nil for a journal older than the counts.
        var countsDrift: [JournalDiagnostics.CountDrift]?
        /// How many keys `--rebuild-counts` changed; nil without it.
        var countsRebuilt: Int?
        var ok: Bool
        var fileBytes: Int64
        var walBytes: Int64
        var freeBytes: Int
        var runner: String?
        var runnerAlive: Bool?
        /// The leadership file's note (instance, pid, since) while its lock is held; nil when no
        /// runner leads.
        var leader: String?
        var sqliteVersion: String
        var sqliteRequired: String
    }

    func run() async throws {
        let path = try global.journalPath()
        var configuration = JournalConfiguration(location: .file(path: path))
        configuration.readOnly = true
        let diagnostics: JournalDiagnostics
        var rebuilt: Int?
        if rebuildCounts {
            do {
                let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
                do {
                    rebuilt = try await journal.rebuildCounts()
                    await journal.close()
                } catch {
                    await journal.close()
                    throw error
                }
            } catch {
                throw ToolFailure.failure("cannot rebuild the counts of \(path): \(error)")
            }
        }
        do {
            let journal = try SQLiteJournal(configuration: configuration)
            do {
                diagnostics = try await journal.diagnostics()
                await journal.close()
            } catch {
                await journal.close()
                throw error
            }
        } catch {
            throw ToolFailure.failure("cannot check \(path): \(error)")
        }
        let runner = Self.runners(directory: SQLiteJournal.runnersDirectory(journalPath: path))
        // One open, one non-blocking shared flock and one read: cheap, and it never waits.
        let leadership = SQLiteJournal.leadership(journalPath: path)
        let report = Report(
            journal: path, schemaVersion: diagnostics.schemaVersion, supportedSchemaVersion: diagnostics.supportedSchemaVersion,
            integrity: diagnostics.integrity, countsDrift: diagnostics.countsDrift, countsRebuilt: rebuilt,
            ok: diagnostics.integrity == ["ok"] && diagnostics.countsDrift?.isEmpty != false, fileBytes: Self.size(path),
            walBytes: Self.size(path + "-wal"), freeBytes: diagnostics.freePages * diagnostics.pageSize,
            runner: runner?.holder, runnerAlive: runner?.alive,
            leader: leadership.flatMap { $0.held && !$0.holder.isEmpty ? $0.holder : nil },
            sqliteVersion: diagnostics.sqliteVersion, sqliteRequired: diagnostics.sqliteRequired)
        let console = Console.current
        if global.json {
            try console.json(report)
        } else {
            let leaderText = leadership.map { leadership in
                leadership.held ? leadership.holder : leadership.holder.isEmpty ? "none" : "none (last: \(leadership.holder))"
            } ?? "none"
            let runnerText = runner.map { "\($0.holder)\($0.alive ? "" : " (that process is gone: the note is stale)")" } ?? "none"
            var counts = report.countsDrift.map { drift in
                drift.isEmpty
                    ? "exact" : "\(drift.count) (queue, name, state) disagree with the jobs: "
                        + drift.prefix(5).map { "\($0.queue)/\($0.name)/\($0.state) kept \($0.kept), counted \($0.counted)" }
                        .joined(separator: "; ") + " (run doctor --rebuild-counts)"
            } ?? "none (schema older than the counts)"
            if let rebuilt = report.countsRebuilt { counts += ", after a rebuild that changed \(rebuilt)" }
            console.fields([
                ("journal", path),
                ("schema", "version \(report.schemaVersion) (this build: \(report.supportedSchemaVersion))"),
                ("integrity", report.integrity.joined(separator: "; ")),
                ("counts", counts),
                ("size", "\(report.fileBytes) bytes, \(report.freeBytes) of them free pages"),
                ("wal", "\(report.walBytes) bytes"),
                ("runner", runnerText),
                ("leader", leaderText),
                ("sqlite", "\(report.sqliteVersion) (needs \(report.sqliteRequired) or newer)"),
            ])
        }
        if report.integrity != ["ok"] { throw ToolFailure.failure("the integrity check found problems") }
        if !report.ok { throw ToolFailure.failure("the job counts disagree with the jobs; docket doctor --rebuild-counts recounts them") }
    }

    /// The size of the file at `path`, 0 when there is none.
    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Who the runners' lock files name (each scheduler running the journal has one in
    /// `<journal>-runners`), and whether any of those processes still lives. Read, never locked. A
    /// runner removes its file when it stops; one killed leaves it, with a pid that is gone, until
    /// the next scheduler to start removes it.
    static func runners(directory: String) -> (holder: String, alive: Bool)? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let found = names.filter { $0.hasSuffix(".lock") }.sorted().compactMap { runner(lockPath: directory + "/" + $0) }
        guard !found.isEmpty else { return nil }
        return (found.map(\.holder).joined(separator: "; "), found.contains { $0.alive })
    }

    /// Who one runner lock's note names, and whether that process still lives.
    static func runner(lockPath: String) -> (holder: String, alive: Bool)? {
        guard let text = try? String(contentsOfFile: lockPath, encoding: .utf8) else { return nil }
        // The note is the first line; the runner's heartbeat line follows it.
        let note = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        let holder = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !holder.isEmpty else { return nil }
        let words = holder.split(separator: " ")
        guard words.count > 1, words[0] == "pid", let pid = Int32(words[1]) else { return (holder, true) }
        return (holder, kill(pid, 0) == 0 || errno == EPERM)
    }
}
