import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct MigrationTests {
    private func micros(_ timestamp: Timestamp) -> Int64 { timestamp.microsecondsSinceEpoch }

    /// Builds a schema-1 journal with version 1's statements only, holding what version 1 wrote:
    /// job 1 running on attempt 2 for "dead" (a retried attempt 1, and an open row for attempt 2),
    /// job 2 completed (its closed `completed` row), job 3 scheduled.
    private func makeVersion1Journal(_ path: String) throws {
        let connection = try Connection(path: path, create: true)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("BEGIN IMMEDIATE")
        for statement in JournalSchema.migrations[0] {
            try connection.execute(statement)
        }
        try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
        try connection.execute("PRAGMA user_version = 1")
        let columns = "id, name, queue, priority, payload, state, run_at, attempt, max_attempts, lease_owner, "
            + "lease_expires_at, created_at, updated_at, finished_at, last_error"
        try connection.execute("""
            INSERT INTO jobs (\(columns)) VALUES
                (1, 'a', 'default', 0, x'01', 1, \(micros(at(1))), 2, 3, 'dead', \(micros(at(62))), \(micros(t0)), \
            \(micros(at(2))), NULL, 'boom'),
                (2, 'b', 'default', 0, x'02', 2, \(micros(t0)), 1, 3, NULL, NULL, \(micros(t0)), \(micros(at(3))), \
            \(micros(at(3))), NULL),
                (3, 'c', 'default', 0, x'03', 0, \(micros(at(500))), 0, 3, NULL, NULL, \(micros(t0)), \(micros(t0)), NULL, NULL);
            INSERT INTO attempts (job_id, attempt, owner, started_at, finished_at, outcome, error) VALUES
                (1, 1, 'dead', \(micros(t0)), \(micros(at(1))), 'retried', 'boom'),
                (2, 1, 'old', \(micros(at(1))), \(micros(at(3))), 'completed', NULL),
                (1, 2, 'dead', \(micros(at(2))), NULL, NULL, NULL);
            """)
        try connection.execute("COMMIT")
    }

    @Test func aVersion1JournalKeepsItsHistoriesAndItsRunningJobIsRescued() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v1.docket"
            try makeVersion1Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            #expect(JournalSchema.currentVersion == 11)
            let dueIndex = try await journal.read {
                try $0.firstRow("SELECT count(*) FROM sqlite_master WHERE name = 'jobs_due'") { $0.int(0) }
            }
            #expect(dueIndex == 0)

            let retried = AttemptRecord(
                jobID: JobID(1), attempt: 1, owner: "dead", startedAt: t0, finishedAt: at(1), outcome: .retried,
                error: "boom")
            // The open row became the job's attempted_at; the history reads as before.
            #expect(try await journal.attempts(of: JobID(1)) == [
                retried, AttemptRecord(jobID: JobID(1), attempt: 2, owner: "dead", startedAt: at(2)),
            ])
            // Completed under version 1: its row is its history, not repeated from the job row.
            #expect(try await journal.attempts(of: JobID(2)) == [
                AttemptRecord(jobID: JobID(2), attempt: 1, owner: "old", startedAt: at(1), finishedAt: at(3), outcome: .completed)
            ])
            #expect(try await journal.attempts(of: JobID(3)).isEmpty)
            #expect(try await journal.attemptRowCount() == 2)

            let rescued = try await journal.rescueOrphans(currentOwner: "alive", now: at(10)) { _ in at(20) }
            #expect(rescued.map(\.job.id) == [JobID(1)] && rescued.first?.previousOwner == "dead")
            let message = SQLiteJournal.interruptionMessage(attempt: 2, owner: "dead")
            let interrupted = AttemptRecord(
                jobID: JobID(1), attempt: 2, owner: "dead", startedAt: at(2), finishedAt: at(10), outcome: .interrupted,
                error: message)
            #expect(try await journal.attempts(of: JobID(1)) == [retried, interrupted])
            let job = try #require(try await journal.job(JobID(1)))
            #expect(job.state == .scheduled && job.attempt == 2 && job.runAt == at(20) && job.leaseOwner == nil)

            // The rescued job runs to completion under the new rules.
            #expect(try await journal.claim(owner: "alive", now: at(20)).map(\.id) == [JobID(1)])
            let completion = JobChange(id: JobID(1), event: .complete, expectedAttempt: 3)
            #expect(try await journal.result(of: completion, now: at(21)).get() == .completed)
            await journal.close()

            let reopened = try SQLiteJournal(path: path)
            #expect(try await reopened.attempts(of: JobID(1)) == [
                retried, interrupted,
                AttemptRecord(
                    jobID: JobID(1), attempt: 3, owner: "alive", startedAt: at(20), finishedAt: at(21), outcome: .completed),
            ])
            #expect(try await reopened.countsByState() == [.completed: 2, .scheduled: 1])
            #expect(try await reopened.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            await reopened.close()
        }
    }
}
