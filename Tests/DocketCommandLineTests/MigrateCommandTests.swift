import Docket
import DocketCommandLine
import Foundation
import Testing

@testable import DocketSQLite

/// `docket migrate`, and what the read-only commands say of a journal an older Docket wrote.
@Suite struct MigrateCommandTests {
    /// A journal of schema 9, with one scheduled job, as Docket's previous release wrote it.
    private func makeOlderJournal(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("older.docket").path
        let connection = try Connection(path: path, create: true)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("BEGIN IMMEDIATE")
        for statement in JournalSchema.migrations[0..<9].joined() { try connection.execute(statement) }
        try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
        try connection.execute("PRAGMA user_version = 9")
        try connection.execute("""
            INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, created_at, updated_at) \
            VALUES ('mail', 'default', 0, x'7b7d', 0, 1, 0, 3, 1, 1)
            """)
        try connection.execute(JournalSchema.countAllJobsSQL)
        try connection.execute("COMMIT")
        return path
    }

    @Test func anOlderJournalIsRefusedReadOnlyUntilMigrated() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try makeOlderJournal(in: directory)
        let current = JournalSchema.currentVersion

        let refused = await docket("--journal", path, "stats")
        #expect(refused.code == 1)
        #expect(refused.errors.contains("was written by an older Docket (schema 9; this build reads \(current))"), "\(refused.errors)")
        #expect(refused.errors.contains("docket migrate"), "\(refused.errors)")
        #expect(!refused.errors.contains("bug in Docket"), "\(refused.errors)")
        #expect(try SQLiteJournal.schemaVersion(ofJournalAt: path) == 9, "a read-only command changed the file")

        let migrated = await docket("--journal", path, "migrate")
        #expect(migrated.code == 0, "\(migrated.errors)")
        #expect(migrated.lines == ["migrated \(path) from schema 9 to \(current)"])
        #expect(try SQLiteJournal.schemaVersion(ofJournalAt: path) == current)
        let stats = await docket("--journal", path, "stats")
        #expect(stats.code == 0, "\(stats.errors)")
        #expect(stats.lines.contains { $0.hasPrefix("jobs:      scheduled 1,") }, "\(stats.output)")

        let again = try #require(try await docket("--journal", path, "migrate", "--json").json() as? [String: Any])
        #expect(again["migrated"] as? Bool == false && again["from"] as? Int == current && again["to"] as? Int == current)
    }

    @Test func aFileThatIsNotAJournalIsNotMigrated() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("notes.txt").path
        try Data("not a journal".utf8).write(to: URL(fileURLWithPath: path))
        let run = await docket("--journal", path, "migrate")
        #expect(run.code == 1)
        #expect(run.errors.contains("is not a Docket journal"), "\(run.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("not a journal".utf8))
    }
}
