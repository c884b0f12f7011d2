import DocketCore

extension SQLiteJournal {
    /// How many jobs are in each state, from `job_counts`; states with no jobs are absent.
    package func countsByState() async throws -> [JobState: Int] {
        try await read { connection in
            var counts: [JobState: Int] = [:]
            for (key, count) in try Self.jobCounts(on: connection) where count != 0 {
                counts[key.state, default: 0] += count
            }
            return counts
        }
    }

    /// How many jobs each (queue, name, state) has, from `job_counts`; keys with no jobs are absent.
    package func jobCounts() async throws -> [JobCountKey: Int] {
        try await read { connection in try Self.jobCounts(on: connection).filter { $0.value != 0 } }
    }

    static func jobCounts(on connection: Connection) throws -> [JobCountKey: Int] {
        try countRows("SELECT queue, name, state, count FROM job_counts", on: connection)
    }

    /// The counts `job_counts` should hold: every job counted, one scan of the table.
    static func countedJobs(on connection: Connection) throws -> [JobCountKey: Int] {
        try countRows("SELECT queue, name, state, count(*) FROM jobs GROUP BY queue, name, state", on: connection)
    }

    private static func countRows(_ sql: String, on connection: Connection) throws -> [JobCountKey: Int] {
        let rows = try connection.rows(sql) { row in
            let state = try JobState(code: row.int(2)).unwrap(or: "unknown state code \(row.int(2))")
            return (JobCountKey(queue: row.text(0), name: row.text(1), state: state), row.int(3))
        }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    /// The earliest run-at of a scheduled job: the first entry of jobs_claim at each priority, the
    /// smallest of the ten. Ten index probes, however many jobs wait.
    package func earliestScheduledRunAt() async throws -> Timestamp? {
        try await read { connection in
            try connection.firstRow(Self.earliestScheduledRunAtSQL) { row in
                row.optionalInt64(0).map(Timestamp.init(microsecondsSinceEpoch:))
            } ?? nil
        }
    }

    /// One `min` per priority, each a constant so that SQLite answers it from the partial index's
    /// first entry at that priority; a single `min(run_at) WHERE state = 0` would read all of them.
    static let earliestScheduledRunAtSQL = "SELECT min(first) FROM ("
        + JobDefaults.priorityRange.map {
            "SELECT (SELECT min(run_at) FROM jobs WHERE state = \(JobState.scheduled.code) AND priority = \($0)) AS first"
        }.joined(separator: " UNION ALL ") + ")"

    /// The keys where `job_counts` disagrees with the jobs it counts, with both figures (kept, then
    /// counted); empty when the counts are exact. Scans every job, on the read connection.
    package func countsDrift() async throws -> [JobCountKey: (kept: Int, counted: Int)] {
        try await read { connection in try Self.countsDrift(on: connection) }
    }

    /// As ``countsDrift()``, both reads in one read transaction so that they see the same jobs.
    static func countsDrift(on connection: Connection) throws -> [JobCountKey: (kept: Int, counted: Int)] {
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        let kept = try jobCounts(on: connection)
        let counted = try countedJobs(on: connection)
        var drift: [JobCountKey: (kept: Int, counted: Int)] = [:]
        for key in Set(kept.keys).union(counted.keys) {
            let pair = (kept: kept[key] ?? 0, counted: counted[key] ?? 0)
            if pair.kept != pair.counted { drift[key] = pair }
        }
        return drift
    }

    /// Recounts every job into `job_counts`, in one transaction; returns how many keys changed.
    package func rebuildCounts() async throws -> Int {
        try await write { connection in
            let before = try Self.jobCounts(on: connection).filter { $0.value != 0 }
            try connection.run("DELETE FROM job_counts")
            try connection.run(JournalSchema.countAllJobsSQL)
            let after = try Self.jobCounts(on: connection).filter { $0.value != 0 }
            return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.count
        }
    }
}
