import DocketCore
import Testing

@testable import DocketSQLite

/// A version-6 journal with jobs gains counts filled from them, and the index listings read.
@Suite struct Version6CountsMigrationTests {
    private func makeVersion6Journal(_ path: String) throws {
        try DocketSQLiteTests.makeVersion6Journal(path) { connection in
            let created = t0.microsecondsSinceEpoch
            let finished = at(10).microsecondsSinceEpoch
            try connection.execute("""
                INSERT INTO jobs (id, name, queue, priority, payload, state, run_at, attempt, max_attempts, created_at, \
                updated_at, finished_at, lease_owner, attempted_at) VALUES \
                (1, 'mail', 'default', 0, x'01', 0, \(created), 0, 3, \(created), \(created), NULL, NULL, NULL), \
                (2, 'mail', 'default', 0, x'02', 0, \(created), 0, 3, \(created), \(created), NULL, NULL, NULL), \
                (3, 'mail', 'bulk', 0, x'03', 2, \(created), 1, 3, \(created), \(finished), \(finished), 'old', \(created)), \
                (4, 'report', 'bulk', 0, x'04', 1, \(created), 1, 3, \(created), \(created), NULL, 'old', \(created)), \
                (5, 'report', 'bulk', 0, x'05', 3, \(created), 3, 3, \(created), \(finished), \(finished), NULL, NULL);
                """)
        }
    }

    @Test func aVersion6JournalGainsCountsOfItsJobs() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v6.docket"
            try makeVersion6Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            #expect(
                try await journal.jobCounts() == [
                    JobCountKey(queue: "default", name: "mail", state: .scheduled): 2,
                    JobCountKey(queue: "bulk", name: "mail", state: .completed): 1,
                    JobCountKey(queue: "bulk", name: "report", state: .running): 1,
                    JobCountKey(queue: "bulk", name: "report", state: .discarded): 1,
                ])
            let indexes = try await journal.read {
                try $0.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('jobs_state', 'jobs_running')") {
                    $0.text(0)
                }
            }
            #expect(indexes == ["jobs_state"])
            // The running job of the old owner is found by crash recovery through the new index.
            let rescued = try await journal.rescueOrphans(currentOwner: "new", now: at(20), retryAt: { _ in at(30) })
            #expect(rescued.map(\.job.id) == [JobID(4)])
            _ = try await journal.insert(newJob("mail"), now: at(20))
            #expect(try await journal.countsDrift().isEmpty)
            #expect(try await journal.countsByState() == [.scheduled: 4, .completed: 1, .discarded: 1])
            await journal.close()
        }
    }
}
