import DocketCore
import Testing

@testable import DocketSQLite

/// A version-3 journal moves to the running index by id: its running job is still found and rescued,
/// in id order, and new claims and ends keep the index exact.
@Suite struct Version3MigrationTests {
    private func micros(_ timestamp: Timestamp) -> Int64 { timestamp.microsecondsSinceEpoch }

    /// Builds a schema-3 journal with versions 1 to 3's statements only: job 1 scheduled, jobs 2 and 3
    /// running for a dead owner (3 first in the old index's owner order), job 4 completed.
    private func makeVersion3Journal(_ path: String) throws {
        let connection = try Connection(path: path, create: true)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("BEGIN IMMEDIATE")
        for statement in JournalSchema.migrations[0] + JournalSchema.migrations[1] + JournalSchema.migrations[2] {
            try connection.execute(statement)
        }
        try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
        try connection.execute("PRAGMA user_version = 3")
        let columns = "id, name, queue, priority, payload, state, run_at, attempt, max_attempts, lease_owner, "
            + "created_at, updated_at, finished_at, attempted_at"
        let created = micros(t0)
        try connection.execute("""
            INSERT INTO jobs (\(columns)) VALUES
                (1, 'a', 'default', 0, x'01', 0, \(micros(at(500))), 0, 3, NULL, \(created), \(created), NULL, NULL),
                (2, 'b', 'default', 0, x'02', 1, \(created), 1, 3, 'dead-z', \(created), \(micros(at(2))), NULL, \(micros(at(2)))),
                (3, 'c', 'default', 0, x'03', 1, \(created), 1, 3, 'dead-a', \(created), \(micros(at(2))), NULL, \(micros(at(2)))),
                (4, 'd', 'default', 0, x'04', 2, \(created), 1, 3, 'old', \(created), \(micros(at(3))), \(micros(at(3))), \(micros(at(1))));
            """)
        try connection.execute("COMMIT")
    }

    @Test func aVersion3JournalRescuesItsRunningJobsThroughTheNewIndex() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v3.docket"
            try makeVersion3Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            let definition = try await journal.read { connection in
                try connection.firstRow("SELECT sql FROM sqlite_master WHERE name = 'jobs_state'") { $0.text(0) }
            }
            // Version 4's jobs_running, replaced by the counts step's jobs_state, which the next step
            // narrowed to running, discarded and cancelled jobs.
            #expect(definition == "CREATE INDEX jobs_state ON jobs (state + 0) WHERE state <> 0 AND state <> 2")
            let plan = try await journal.queryPlan(of: SQLiteJournal.orphansSQL)
            #expect(plan.contains { $0.contains("USING INDEX jobs_state") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")

            let rescued = try await journal.rescueOrphans(currentOwner: "alive", now: at(10)) { _ in at(20) }
            #expect(rescued.map(\.job.id) == [JobID(2), JobID(3)])
            #expect(rescued.map(\.previousOwner) == ["dead-z", "dead-a"])

            // Claims and ends after the migration keep the index exact: only running jobs are in it.
            let claimed = try await journal.claim(owner: "alive", now: at(20))
            #expect(claimed.map(\.id) == [JobID(2), JobID(3)])
            try await journal.apply(JobChange(id: JobID(2), event: .complete, expectedAttempt: 2), now: at(21))
            let running = try await journal.read { connection in
                try connection.rows(
                    "SELECT id FROM jobs INDEXED BY jobs_state WHERE state + 0 = 1 AND \(JournalSchema.stateIndexCondition) ORDER BY id"
                ) { $0.int64(0) }
            }
            #expect(running == [3])
            #expect(try await journal.countsByState() == [.scheduled: 1, .running: 1, .completed: 2])
            await journal.close()
        }
    }
}
