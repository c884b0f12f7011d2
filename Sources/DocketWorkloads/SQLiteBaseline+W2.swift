import Docket
import Foundation

extension SQLiteBaseline {
    /// W2's baseline at concurrency K: N due-now jobs inserted (untimed, 1,000 per transaction), then
    /// drained with Docket's claim and completion statements.
    ///
    /// Batching: each transaction completes the K jobs claimed by the previous one (one complete UPDATE
    /// per job) and claims the next B (one claim UPDATE…RETURNING with LIMIT B). A job's life that ends
    /// in success writes no attempt row. B is what one of the scheduler's claims can take at most (its
    /// free slots, K, at most `claimBatchSize` 256), and putting the
    /// completions that free the slots in the same commit as the claim that refills them is the best
    /// Docket's group commit can do: one commit per B jobs.
    static func w2(_ options: Options, concurrency: Int, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w2)
        let path = directory + "/baseline-w2.docket"
        try await createJournal(path: path, durability: options.durability)
        let durability = options.durability
        let busyTimeout = SchedulerConfiguration().busyTimeout
        // What one of Docket's claims can take at most: the free slots, at most claimBatchSize.
        let configuration = SchedulerConfiguration()
        let limit = Int64(min(concurrency, configuration.claimBatchSize))
        let result = try await RawSQLite.onOwnThread("baseline-w2") {
            let connection = try RawSQLite.writer(path: path, durability: durability, busyTimeout: busyTimeout)
            let statements = try Statements(connection)
            try enqueue(count, statements)
            return try drain(statements, limit: limit, owner: UUID().uuidString.lowercased())
        }
        var row = ResultRow(
            system: "sqlite-baseline", workload: "W2", jobs: count, seconds: result.seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency,
            notes: "Docket's claim (UPDATE…RETURNING, LIMIT \(limit)) and complete UPDATE (no attempt rows on success), "
                + "prepared; each commit completes the previous \(limit) claimed and claims the next \(limit) "
                + "(Docket's best case: completions and the claim refilling their slots in one group commit); "
                + "\(grouped(result.commits)) commits; enqueued untimed, 1,000 per transaction; "
                + "CPU \(fixed(result.cpuMicrosPerJob)) µs per job")
        if result.completed != count {
            row.violation = "W2 baseline: \(result.completed) of \(count) jobs completed"
        }
        return row
    }

    private struct Statements {
        let connection: RawSQLite
        let begin, commit, insert, claim, complete, countCompleted: RawStatement

        init(_ connection: RawSQLite) throws {
            self.connection = connection
            begin = try connection.prepare(BaselineSQL.begin)
            commit = try connection.prepare(BaselineSQL.commit)
            insert = try connection.prepare(BaselineSQL.insert)
            claim = try connection.prepare(BaselineSQL.claim)
            complete = try connection.prepare(BaselineSQL.complete)
            countCompleted = try connection.prepare(BaselineSQL.countCompleted)
        }
    }

    private static func enqueue(_ count: Int, _ statements: Statements) throws {
        var index = 0
        while index < count {
            let now = nowMicros()
            try statements.begin.run()
            for job in index..<min(index + 1_000, count) {
                try insert(statements.insert, index: job, runAt: now, now: now)
            }
            try statements.commit.run()
            index += 1_000
        }
    }

    private static func drain(
        _ statements: Statements, limit: Int64, owner: String
    ) throws -> (seconds: Double, commits: Int, completed: Int, cpuMicrosPerJob: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = ProcessCPU.seconds()
        var claimed: [(id: Int64, attempt: Int64)] = []
        var commits = 0
        repeat {
            let now = nowMicros()
            try statements.begin.run()
            for job in claimed {
                try statements.complete.bind(1, job.id)
                try statements.complete.bind(2, job.attempt)
                try statements.complete.bind(3, now)
                while try statements.complete.step() {}
                guard statements.complete.changes == 1 else { throw WorkloadError("the baseline lost job \(job.id)") }
                statements.complete.reset()
            }
            claimed = try claim(statements, limit: limit, owner: owner, now: now)
            try statements.commit.run()
            commits += 1
        } while !claimed.isEmpty
        let seconds = (clock.now - start).seconds
        let cpuSeconds = ProcessCPU.seconds() - cpuBefore
        let completed = try statements.countCompleted.step() ? Int(statements.countCompleted.int64(0)) : 0
        let cpuMicrosPerJob = cpuSeconds * 1e6 / Double(max(completed, 1))
        statements.countCompleted.reset()
        return (seconds, commits, completed, cpuMicrosPerJob)
    }

    /// The claim, as `SQLiteJournal.claim` runs it: one statement, every returned row read.
    private static func claim(
        _ statements: Statements, limit: Int64, owner: String, now: Int64
    ) throws -> [(id: Int64, attempt: Int64)] {
        let claim = statements.claim
        try claim.bind(1, owner)
        try claim.bind(2, now + lease)
        try claim.bind(3, now)
        try claim.bind(4, now)
        try claim.bind(5, limit)
        try claim.bind(6, claimNames)
        var jobs: [(id: Int64, attempt: Int64)] = []
        while try claim.step() {
            jobs.append((claim.int64(0), claim.int64(6)))
        }
        claim.reset()
        return jobs
    }
}
