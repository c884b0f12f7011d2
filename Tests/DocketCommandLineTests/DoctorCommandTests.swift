import Docket
import DocketCommandLine
import Foundation
import Testing

@testable import DocketSQLite

/// `docket doctor`: what it says about a sound journal, a journal a scheduler runs, and a file that
/// is not a journal.
@Suite struct DoctorCommandTests {
    @Test func aSoundJournalIsReportedWithItsSchemaIntegrityAndSQLite() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "doctor")
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.lines.contains("integrity: ok"))
        #expect(run.lines.contains("runner:    none"))
        #expect(run.lines.contains("leader:    none"))
        #expect(run.lines.contains("counts:    exact"))
        #expect(run.lines.contains { $0.hasPrefix("schema:    version ") && $0.hasSuffix(")") })
        #expect(run.lines.contains { $0.hasPrefix("sqlite:    3.") && $0.hasSuffix("(needs 3.37.0 or newer)") })
        let json = try #require(try await docket("--journal", fixture.path, "doctor", "--json").json() as? [String: Any])
        #expect(json["ok"] as? Bool == true && json["integrity"] as? [String] == ["ok"])
        #expect(json["schemaVersion"] as? Int == json["supportedSchemaVersion"] as? Int)
        #expect((json["fileBytes"] as? Int ?? 0) > 0)
        #expect(json["runner"] == nil)
        #expect((json["countsDrift"] as? [Any])?.isEmpty == true)
    }

    /// Counts that disagree with the jobs fail the check; `--rebuild-counts` recounts them.
    @Test func countsThatDriftedFailTheCheckUntilRebuilt() async throws {
        let fixture = try await ToolFixture()
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: fixture.path)))
        _ = try await journal.write { try $0.run("UPDATE job_counts SET count = 5 WHERE name = 'mail' AND state = 2") }
        await journal.close()
        let drifted = await docket("--journal", fixture.path, "doctor")
        #expect(drifted.code == 1)
        #expect(drifted.lines.contains("counts:    1 (queue, name, state) disagree with the jobs: default/mail/completed kept 5, counted 1 (run doctor --rebuild-counts)"), "\(drifted.output)")
        #expect(drifted.errors.contains("--rebuild-counts"))
        let json = try #require(try await docket("--journal", fixture.path, "doctor", "--json").json() as? [String: Any])
        #expect(json["ok"] as? Bool == false)
        #expect((json["countsDrift"] as? [[String: Any]])?.first?["kept"] as? Int == 5)
        let rebuilt = await docket("--journal", fixture.path, "doctor", "--rebuild-counts")
        #expect(rebuilt.code == 0, "\(rebuilt.errors)")
        #expect(rebuilt.lines.contains("counts:    exact, after a rebuild that changed 1"))
        #expect(await docket("--journal", fixture.path, "stats").lines[1] == "jobs:      scheduled 1, running 0, completed 2, discarded 0, cancelled 1 (total 4)")
    }

    @Test func aRunningSchedulerIsNamedAndAStaleNoteIsCalledStale() async throws {
        let fixture = try await ToolFixture()
        let scheduler = try JobScheduler(path: fixture.path)
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        let json = try #require(try await docket("--journal", fixture.path, "doctor", "--json").json() as? [String: Any])
        let holder = try #require(json["runner"] as? String)
        #expect(holder.hasPrefix("pid \(ProcessInfo.processInfo.processIdentifier) on "))
        #expect(json["runnerAlive"] as? Bool == true)
        // A scheduler alone on its journal leads it; the note names its process.
        let leader = try #require(json["leader"] as? String)
        #expect(leader.hasPrefix("instance ") && leader.contains(", pid \(ProcessInfo.processInfo.processIdentifier), since "))
        runner.cancel()
        _ = await runner.result
        await scheduler.close()
        // Stopped, it leads no more: the note is shown as the last leader's.
        let stopped = await docket("--journal", fixture.path, "doctor")
        #expect(stopped.lines.contains("leader:    none (last: \(leader))"), "\(stopped.output)")

        // What a killed runner leaves: its note, naming a process that no longer exists.
        try FileManager.default.createDirectory(atPath: fixture.path + "-runners", withIntermediateDirectories: true)
        try "pid 2147483646 on elsewhere, instance x, since then\n".write(
            toFile: fixture.path + "-runners/x.lock", atomically: true, encoding: .utf8)
        let stale = await docket("--journal", fixture.path, "doctor")
        #expect(stale.lines.contains("runner:    pid 2147483646 on elsewhere, instance x, since then (that process is gone: the note is stale)"))
    }

    @Test func aFileThatIsNotAJournalFailsWithExitCodeOne() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-journal-\(UUID()).txt").path
        try "shopping list: eggs, milk\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = await docket("--journal", path, "doctor")
        #expect(run.code == 1)
        #expect(run.errors.hasPrefix("docket: cannot check \(path): "))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "shopping list: eggs, milk\n")
        let stats = await docket("--journal", path, "stats")
        #expect(stats.code == 1)
    }
}
