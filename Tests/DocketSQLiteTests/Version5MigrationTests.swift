import DocketCore
import Testing

@testable import DocketSQLite

/// A version-5 journal gains the index pruning reads; its ended jobs can be pruned at once. Its
/// `auto_vacuum` stays as it was: SQLite changes it only by a VACUUM, which migration does not run.
@Suite struct Version5MigrationTests {
    private func makeVersion5Journal(_ path: String) throws {
        let connection = try Connection(path: path, create: true)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("BEGIN IMMEDIATE")
        for statement in JournalSchema.migrations[0..<5].joined() { try connection.execute(statement) }
        try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
        try connection.execute("PRAGMA user_version = 5")
        let created = t0.microsecondsSinceEpoch
        let finished = at(10).microsecondsSinceEpoch
        try connection.execute("""
            INSERT INTO jobs (id, name, queue, priority, payload, state, run_at, attempt, max_attempts, created_at, \
            updated_at, finished_at) VALUES \
            (4, 'a', 'default', 0, x'01', 0, \(created), 0, 3, \(created), \(created), NULL), \
            (2, 'b', 'default', 0, x'02', 2, \(created), 1, 3, \(created), \(finished), \(finished)), \
            (3, 'c', 'default', 0, x'03', 3, \(created), 3, 3, \(created), \(finished), \(finished));
            INSERT INTO attempts (job_id, attempt, owner, started_at, finished_at, outcome, error) VALUES \
            (3, 3, 'old', \(created), \(finished), 'discarded', 'boom');
            """)
        try connection.execute("COMMIT")
    }

    @Test func aVersion5JournalGainsTheFinishedIndexAndPrunes() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v5.docket"
            try makeVersion5Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            let index = try await journal.read {
                try $0.firstRow("SELECT count(*) FROM sqlite_master WHERE name = 'jobs_finished'") { $0.int(0) }
            }
            #expect(index == 1)
            #expect(try await journal.vacuumState().autoVacuum == 0)
            let request = PruneRequest(cutoffs: [.completed: at(11), .discarded: at(11)], batchSize: 10, vacuumPages: 64)
            #expect(try await journal.prune(request).deleted == [.completed: 1, .discarded: 1])
            #expect(try await journal.countsByState() == [.scheduled: 1])
            #expect(try await journal.attemptRowCount() == 0)
            await journal.close()
        }
    }
}
