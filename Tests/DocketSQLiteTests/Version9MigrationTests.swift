import DocketCore
import Testing

@testable import DocketSQLite

/// A version-9 journal's jobs_state loses its scheduled jobs and keeps the others; listings, the poll
/// and crash recovery read the same jobs as before.
@Suite struct Version9MigrationTests {
    private func makeVersion9Journal(_ path: String) throws {
        try makeJournal(path, version: 9) { connection in
            let created = t0.microsecondsSinceEpoch
            let finished = at(10).microsecondsSinceEpoch
            try connection.execute("""
                INSERT INTO jobs (id, name, queue, priority, payload, state, run_at, attempt, max_attempts, created_at, \
                updated_at, finished_at, lease_owner, attempted_at) VALUES \
                (1, 'mail', 'default', 0, x'01', 0, \(created), 0, 3, \(created), \(created), NULL, NULL, NULL), \
                (2, 'mail', 'default', 0, x'02', 1, \(created), 1, 3, \(created), \(created), NULL, 'old', \(created)), \
                (3, 'mail', 'default', 0, x'03', 2, \(created), 1, 3, \(created), \(finished), \(finished), 'old', \(created)), \
                (4, 'mail', 'default', 0, x'04', 3, \(created), 3, 3, \(created), \(finished), \(finished), NULL, NULL), \
                (5, 'mail', 'default', 0, x'05', 4, \(created), 0, 3, \(created), \(finished), \(finished), NULL, NULL), \
                (6, 'mail', 'default', 0, x'06', 0, \(created), 0, 3, \(created), \(created), NULL, NULL, NULL);
                """)
            try connection.execute(JournalSchema.countAllJobsSQL)
        }
    }

    @Test func scheduledJobsLeaveTheStateIndexAndStayListed() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v9.docket"
            try makeVersion9Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            let indexed = try await journal.read { connection in
                try connection.rows(
                    "SELECT id FROM jobs INDEXED BY jobs_state WHERE state + 0 >= 0 AND \(JournalSchema.stateIndexCondition) ORDER BY id"
                ) { $0.int64(0) }
            }
            #expect(indexed == [2, 4, 5])
            // Every state still lists its jobs in id order, whichever index walks it.
            for (state, ids) in [(JobState.scheduled, [1, 6]), (.running, [2]), (.completed, [3]), (.discarded, [4]), (.cancelled, [5])] {
                #expect(try await journal.jobs(in: state, after: nil, limit: 10).map(\.id.rawValue) == ids.map(Int64.init), "\(state)")
                let page = try await journal.jobs(matching: JobListRequest(states: [state], limit: 10, examineLimit: 1_000))
                #expect(page.jobs.map(\.id.rawValue) == ids.map(Int64.init), "\(state)")
            }
            #expect(try await journal.jobs(in: .scheduled, after: JobID(1), limit: 10).map(\.id) == [JobID(6)])
            // A claim moves a scheduled job into the index; its end moves it out again.
            let claimed = try await journal.claim(owner: "new", now: at(20), limit: 1)
            #expect(claimed.map(\.id) == [JobID(1)])
            let rescued = try await journal.rescueOrphans(currentOwner: "new", now: at(20), retryAt: { _ in at(30) })
            #expect(rescued.map(\.job.id) == [JobID(2)])
            try await journal.apply(JobChange(id: JobID(1), event: .complete, expectedAttempt: 1), now: at(21))
            #expect(try await journal.jobs(in: .running, after: nil, limit: 10).isEmpty)
            #expect(try await journal.countsDrift().isEmpty)
            await journal.close()
        }
    }
}
