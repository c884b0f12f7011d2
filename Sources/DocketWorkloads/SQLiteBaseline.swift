import Docket
import DocketSQLite
import Foundation

/// The `sqlite-baseline` rows: the SQL Docket's journal runs for one job's life, straight through the
/// C API with prepared statements and the same batching, no scheduler.
///
/// The schema comes from Docket itself: a `SQLiteJournal` creates the file and is closed, then a raw
/// connection opens it with the writer's pragmas. Each baseline runs on a thread of its own, as the
/// journal's writer does.
enum SQLiteBaseline {
    static let jobName = "bench"
    static let queue = "default"
    /// The names array the scheduler binds to the claim's `json_each(?6)`: a constant here.
    static let claimNames = "[\"bench\"]"
    static let dueIn: Int64 = 3_600_000_000
    /// The lease a claim writes: the default timeout (300 s) plus the default grace period (30 s).
    static let lease: Int64 = 330_000_000

    /// The wall clock in microseconds since the epoch, as Docket's `Timestamp(Date())`.
    static func nowMicros() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// Creates an empty journal at `path` with Docket's schema.
    static func createJournal(path: String, durability: Durability) async throws {
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path), durability: durability))
        await journal.close()
    }

    /// Binds and runs the insert of BenchJob `index`, due at `runAt`, as `schedule` does.
    static func insert(_ statement: RawStatement, index: Int, runAt: Int64, now: Int64) throws {
        try statement.bind(1, jobName)
        try statement.bind(2, queue)
        try statement.bind(3, Int64(JobDefaults.priority))
        try statement.bind(4, BenchJob.payloadBytes(index: index))
        try statement.bind(5, runAt)
        try statement.bind(6, Int64(JobDefaults.maxAttempts))
        try statement.bindNull(7)
        try statement.bind(8, now)
        try statement.bindNull(9)
        try statement.bindNull(10)
        try statement.bind(11, Int64(0))
        // Run to its end, as the journal's run: the rows changed say the job was inserted.
        while try statement.step() {}
        guard statement.changes == 1 else { throw WorkloadError("the baseline insert inserted nothing") }
        statement.reset()
    }

    /// W1's baseline: one insert per transaction, each committed before the next starts.
    static func w1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w1)
        let path = directory + "/baseline-w1.docket"
        try await createJournal(path: path, durability: options.durability)
        let durability = options.durability
        let busyTimeout = SchedulerConfiguration().busyTimeout
        let (seconds, latencies) = try await RawSQLite.onOwnThread("baseline-w1") {
            let connection = try RawSQLite.writer(path: path, durability: durability, busyTimeout: busyTimeout)
            let begin = try connection.prepare(BaselineSQL.begin)
            let commit = try connection.prepare(BaselineSQL.commit)
            let insertStatement = try connection.prepare(BaselineSQL.insert)
            let clock = ContinuousClock()
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            let start = clock.now
            for index in 0..<count {
                let callStart = clock.now
                let now = nowMicros()
                try begin.run()
                try insert(insertStatement, index: index, runAt: now + dueIn, now: now)
                try commit.run()
                latencies.append((clock.now - callStart).milliseconds)
            }
            return ((clock.now - start).seconds, latencies)
        }
        return ResultRow(
            system: "sqlite-baseline", workload: "W1", jobs: count, seconds: seconds,
            latencies: Percentiles(milliseconds: latencies), rssMB: Memory.peakMB(), durability: options.durabilityName,
            concurrency: 1,
            notes: "Docket's insert statement (prepared, same bindings and payload), one BEGIN IMMEDIATE/INSERT/COMMIT per job, "
                + "as the journal's writer commits a lone caller's job; concurrency = 1 caller; latency = one transaction")
    }
}
