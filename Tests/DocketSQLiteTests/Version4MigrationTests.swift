import DocketCore
import Testing

@testable import DocketSQLite

/// A version-4 journal gains schedules: its jobs keep everything and have no schedule, and the firing
/// pass reads the schedules' partial indexes.
@Suite struct Version4MigrationTests {
    private func makeVersion4Journal(_ path: String) throws {
        let connection = try Connection(path: path, create: true)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("BEGIN IMMEDIATE")
        for statement in JournalSchema.migrations[0..<4].joined() { try connection.execute(statement) }
        try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
        try connection.execute("PRAGMA user_version = 4")
        let created = t0.microsecondsSinceEpoch
        try connection.execute("""
            INSERT INTO jobs (id, name, queue, priority, payload, state, run_at, attempt, max_attempts, created_at, updated_at) \
            VALUES (1, 'a', 'default', 0, x'01', 0, \(created), 0, 3, \(created), \(created))
            """)
        try connection.execute("COMMIT")
    }

    @Test func aVersion4JournalKeepsItsJobsAndGainsSchedules() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/v4.docket"
            try makeVersion4Journal(path)
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.read { try $0.pragmaInteger("user_version") } == JournalSchema.currentVersion)
            let job = try #require(try await journal.job(JobID(1)))
            #expect(job.payload == [1])
            #expect(job.origin == nil)
            #expect(try await journal.schedules(after: nil, limit: 10).isEmpty)
            for sql in [SQLiteJournal.nextScheduleDueSQL, SQLiteJournal.anyHeldSQL] {
                let plan = try await journal.queryPlan(of: sql)
                #expect(plan.contains { $0.contains("schedules_due") || $0.contains("schedules_held") }, "\(plan)")
            }
            let due = try await journal.queryPlan(of: SQLiteJournal.dueSchedulesSQL)
            #expect(due.contains { $0.contains("schedules_due") } && !due.contains { $0.contains("TEMP B-TREE") }, "\(due)")
            let held = try await journal.queryPlan(of: SQLiteJournal.heldSchedulesSQL)
            #expect(held.contains { $0.contains("schedules_held") }, "\(held)")
            await journal.close()
        }
    }
}
