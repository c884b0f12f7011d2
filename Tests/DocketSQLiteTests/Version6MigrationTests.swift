import DocketCore
import Testing

@testable import DocketSQLite

/// A version-6 journal gains `job_payloads`; its jobs keep their payloads in their rows and read,
/// run and prune as before, while new large payloads go apart.
@Suite struct Version6MigrationTests {
    private let large = (0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    private func makeVersion6Journal(_ path: String) throws {
        try DocketSQLiteTests.makeVersion6Journal(path) { connection in
            let created = t0.microsecondsSinceEpoch
            let finished = at(10).microsecondsSinceEpoch
            let insert = """
                INSERT INTO jobs (id, name, queue, priority, payload, state, run_at, attempt, max_attempts, created_at, \
                updated_at, finished_at) VALUES (?1, 'old', 'default', 0, ?2, ?3, ?4, ?5, 3, ?4, ?6, ?7)
                """
            // A scheduled job and a completed one with large payloads, a scheduled one with a small payload.
            try connection.run(insert, [1, large, JobState.completed.code, created, 1, finished, finished])
            try connection.run(insert, [2, large, JobState.scheduled.code, created, 0, created, nil])
            try connection.run(insert, [3, [UInt8]([9]), JobState.scheduled.code, created, 0, created, nil])
        }
    }

    @Test func aVersion6JournalKeepsEveryPayloadAndKeepsNewLargeOnesApart() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v6.docket"
            try makeVersion6Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            #expect(try await journal.job(JobID(1))?.payload == large)
            let claimed = try await journal.claim(limit: 10)
            #expect(claimed.map(\.id) == [JobID(2), JobID(3)])
            #expect(claimed.map(\.payload) == [large, [9]])
            try await journal.apply(JobChange(id: JobID(2), event: .complete, expectedAttempt: 1), now: at(10))
            #expect(try await journal.job(JobID(2))?.payload == large)

            let new = try await journal.insertID(newJob(runAt: at(3_600), payload: large))
            let apart = try await journal.read { connection in
                try connection.rows("SELECT job_id FROM job_payloads ORDER BY job_id") { $0.int64(0) }
            }
            #expect(apart == [new.rawValue])
            #expect(try await journal.job(new)?.payload == large)
            // Both old completed jobs go, payloads in their rows; the new one stays with its payload.
            let batch = try await journal.prune(PruneRequest(cutoffs: [.completed: at(11)], batchSize: 10, vacuumPages: 0))
            #expect(batch.deleted == [.completed: 2])
            #expect(try await journal.job(new)?.payload == large)
            await journal.close()
        }
    }
}
