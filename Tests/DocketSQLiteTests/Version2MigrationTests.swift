import DocketCore
import Testing

@testable import DocketSQLite

/// A version-2 journal moves to unique scopes: every job keeps the scope it had (held while active),
/// and the rebuilt index enforces the new rule from then on.
@Suite struct Version2MigrationTests {
    private func micros(_ timestamp: Timestamp) -> Int64 { timestamp.microsecondsSinceEpoch }

    /// Builds a schema-2 journal with version 1's and 2's statements only, holding: job 1 scheduled
    /// with key "a", job 2 completed with key "b", job 3 running with key "c", and job 4 completed with
    /// key "a" beside job 1 (version 2 let ended jobs share a key with an active one).
    private func makeVersion2Journal(_ path: String) throws {
        let connection = try Connection(path: path, create: true)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("BEGIN IMMEDIATE")
        for statement in JournalSchema.migrations[0] + JournalSchema.migrations[1] {
            try connection.execute(statement)
        }
        try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
        try connection.execute("PRAGMA user_version = 2")
        let columns = "id, name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key, "
            + "lease_owner, created_at, updated_at, finished_at, attempted_at"
        let created = micros(t0)
        try connection.execute("""
            INSERT INTO jobs (\(columns)) VALUES
                (1, 'a', 'default', 0, x'01', 0, \(micros(at(500))), 0, 3, 'a', NULL, \(created), \(created), NULL, NULL),
                (2, 'b', 'default', 0, x'02', 2, \(created), 1, 3, 'b', 'old', \(created), \(micros(at(3))), \
            \(micros(at(3))), \(micros(at(1)))),
                (3, 'c', 'default', 0, x'03', 1, \(created), 1, 3, 'c', 'dead', \(created), \(micros(at(2))), NULL, \
            \(micros(at(2)))),
                (4, 'a', 'default', 0, x'04', 2, \(created), 1, 3, 'a', 'old', \(created), \(micros(at(4))), \
            \(micros(at(4))), \(micros(at(3))));
            """)
        try connection.execute("COMMIT")
    }

    private func job(_ key: String, _ scope: UniqueScope) -> NewJob {
        var job = newJob(key, key: key)
        job.uniqueScope = scope
        return job
    }

    @Test func aVersion2JournalKeepsItsKeysHeldWhileActive() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v2.docket"
            try makeVersion2Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            let indexes = try await journal.read { connection in
                try connection.rows(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'jobs_unique%' ORDER BY name"
                ) { $0.text(0) }
            }
            #expect(indexes == ["jobs_unique_key_held"])

            for id in 1...4 {
                #expect(try await journal.job(JobID(Int64(id)))?.uniqueScope == .whileActive)
            }
            // The active holders still hold, against either scope.
            #expect(try await journal.insert(job("a", .whileActiveOrCompleted), now: at(10)) == InsertResult(id: JobID(1), isDuplicate: true))
            #expect(try await journal.insert(job("c", .whileActive), now: at(10)) == InsertResult(id: JobID(3), isDuplicate: true))
            // Jobs completed before the migration held while active only: their keys are free.
            let once = try await journal.insert(job("b", .whileActiveOrCompleted), now: at(10))
            #expect(!once.isDuplicate)

            // The new job runs under the new rule: completed, it holds "b" for good.
            let claimed = try await journal.claim(owner: "alive", now: at(20), names: ["b"])
            #expect(claimed.map(\.id) == [once.id] && claimed.first?.uniqueScope == .whileActiveOrCompleted)
            try await journal.apply(JobChange(id: once.id, event: .complete, expectedAttempt: 1), now: at(21))
            await journal.close()

            let reopened = try SQLiteJournal(path: path)
            #expect(try await reopened.insert(job("b", .whileActive), now: at(30)) == InsertResult(id: once.id, isDuplicate: true))
            #expect(try await reopened.countsByState() == [.scheduled: 1, .running: 1, .completed: 3])
            await reopened.close()
        }
    }
}
