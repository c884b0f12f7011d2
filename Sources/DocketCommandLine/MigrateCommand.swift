import ArgumentParser
import Docket
import DocketSQLite

/// `docket migrate`: brings a journal written by an older Docket up to this build's schema, as the
/// first scheduler of the new build would; the read-only commands refuse an older journal until then.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring a journal written by an older Docket up to this build's schema.",
        discussion: """
            Each schema step runs in its own transaction, so an interrupted migration leaves the journal \
            at the last step that committed, and running the command again finishes it. Stop the \
            schedulers of the older build first: they cannot run a journal of the newer schema.
            """)

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var journal: String
        var from: Int
        var to: Int
        var migrated: Bool
    }

    func run() async throws {
        let path = try global.journalPath()
        let before: Int
        do {
            before = try SQLiteJournal.schemaVersion(ofJournalAt: path)
        } catch {
            throw ToolFailure.failure("cannot read \(path): \(DocketError.storage(DocketError.StorageFailure(error)))")
        }
        let current = SQLiteJournal.currentSchemaVersion
        if before < current {
            // Opening it read-write runs the missing steps.
            try await global.openForChanges().close()
        }
        let report = Report(journal: path, from: before, to: current, migrated: before < current)
        let console = Console.current
        if global.json { return try console.json(report) }
        console.line(
            report.migrated
                ? "migrated \(path) from schema \(before) to \(current)" : "\(path) is at schema \(current) already")
    }
}
