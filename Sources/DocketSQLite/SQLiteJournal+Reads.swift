import DocketCore

extension SQLiteJournal {
    /// Scheduled jobs due at or before `horizon`, in (run-at, id) order, strictly after `cursor` when
    /// given, at most `limit`.
    ///
    /// Reads jobs_claim, the index claims use, once per priority: each of the ten walks is ordered by
    /// (run-at, id) and starts at the cursor, and the walks are merged as they are stepped, so a page
    /// costs about `limit` + 10 index steps however many jobs lie before the cursor, share its run-at
    /// or wait at other priorities. All ten statements step inside one read, so the page is one
    /// snapshot.
    package func dueEntries(through horizon: Timestamp, after cursor: DueEntry?, limit: Int) async throws -> [DueEntry] {
        guard limit > 0 else { return try await read { _ in [] } }
        // Without a cursor, start before every possible (run_at, id).
        let after = cursor.map { ($0.runAt.microsecondsSinceEpoch, $0.id.rawValue) } ?? (Int64.min, Int64.min)
        return try await read { connection in
            try Self.dueEntries(through: horizon, after: after, limit: limit, on: connection)
        }
    }

    static func dueEntries(
        through horizon: Timestamp, after: (Int64, Int64), limit: Int, on connection: Connection
    ) throws -> [DueEntry] {
        // One walk per priority, each positioned on its next entry; nil once it is done.
        var walks: [Statement] = []
        var heads: [DueEntry?] = []
        defer { walks.forEach { $0.reset() } }
        for sql in dueEntriesSQLByPriority {
            let walk = try connection.statement(sql)
            walks.append(walk)
            try walk.bind(horizon, at: 1)
            try walk.bind(after.0, at: 2)
            try walk.bind(after.1, at: 3)
            try walk.bind(limit, at: 4)
            heads.append(try walk.step() ? dueEntry(walk) : nil)
        }
        var entries: [DueEntry] = []
        while entries.count < limit {
            var next: Int?
            for (index, head) in heads.enumerated() {
                guard let head else { continue }
                if let best = next.flatMap({ heads[$0] }), (best.runAt, best.id) <= (head.runAt, head.id) { continue }
                next = index
            }
            guard let next, let entry = heads[next] else { break }
            entries.append(entry)
            heads[next] = try walks[next].step() ? dueEntry(walks[next]) : nil
        }
        return entries
    }

    private static func dueEntry(_ row: Statement) -> DueEntry {
        DueEntry(
            id: JobID(row.int64(0)), runAt: Timestamp(microsecondsSinceEpoch: row.int64(1)), priority: row.int(2),
            name: row.text(3))
    }

    /// The walk of jobs_claim for one priority, a constant in each statement so that each has its own
    /// prepared statement. Written as the index's condition (`state = 0`) and key order (priority,
    /// run_at, id), so SQLite reads from the cursor on, in order, without sorting. The cursor is split
    /// in two arms, merged in order by SQLite: the rest of the cursor's run-at by id, then later
    /// run-ats. A row value `(run_at, id) > (?2, ?3)` would seek on run_at alone and step through every
    /// job sharing the cursor's run-at (a batch scheduled for one moment) on every page.
    static func dueEntriesSQL(priority: Int) -> String {
        let walk = "SELECT id, run_at, priority, name FROM jobs WHERE state = \(JobState.scheduled.code) "
            + "AND priority = \(priority)"
        // `?2 <= ?1` rather than `run_at <= ?1` in the first arm: with both bounds on run_at, SQLite
        // seeks the range instead of the equality.
        return "\(walk) AND run_at = ?2 AND id > ?3 AND ?2 <= ?1 "
            + "UNION ALL \(walk) AND run_at > ?2 AND run_at <= ?1 ORDER BY run_at, id LIMIT ?4"
    }

    static let dueEntriesSQLByPriority = JobDefaults.priorityRange.map(dueEntriesSQL(priority:))

    /// The job with `id`, or nil.
    package func job(_ id: JobID) async throws -> JobRecord? {
        try await read { connection in
            try connection.firstRow(
                "SELECT \(JobRecord.columns) FROM jobs WHERE id = ?1", [id],
                row: { try JobRecord(row: $0, payloadsFrom: connection) })
        }
    }

    /// Every attempt of the job with `id`, oldest first; empty for an unknown id.
    ///
    /// The attempts table holds the attempts that ended without completing the job; the job row adds
    /// the attempt it records, if any: the running one (open) or the one that completed it. One
    /// statement, so one snapshot.
    package func attempts(of id: JobID) async throws -> [AttemptRecord] {
        try await read { connection in
            try connection.rows(Self.attemptsSQL, [id], row: AttemptRecord.init(row:))
        }
    }

    /// The attempt rows in order, then the job row's attempt (ordered after every seq).
    static let attemptsSQL = """
        SELECT \(AttemptRecord.columns), seq AS position FROM attempts WHERE job_id = ?1 \
        UNION ALL SELECT \(AttemptRecord.currentAttemptColumns), \(Int64.max) FROM jobs WHERE id = ?1 \
        AND state IN (\(JobState.running.code), \(JobState.completed.code)) AND attempted_at IS NOT NULL \
        ORDER BY position
        """

    /// Every attempt of each job in `ids`, oldest first, by job: one statement whatever the number of
    /// jobs, so one snapshot and one pass over the attempts index.
    package func attempts(ofJobs ids: [JobID]) async throws -> [JobID: [AttemptRecord]] {
        guard !ids.isEmpty else { return [:] }
        let idList = "[" + ids.map { String($0.rawValue) }.joined(separator: ",") + "]"
        return try await read { connection in
            let records = try connection.rows(Self.attemptsOfJobsSQL, [idList], row: AttemptRecord.init(row:))
            return Dictionary(grouping: records, by: \.jobID)
        }
    }

    /// ``attemptsSQL`` for the ids of a JSON array, bound as one parameter; ordered by job, then as
    /// ``attemptsSQL``.
    static let attemptsOfJobsSQL = """
        SELECT \(AttemptRecord.columns), seq AS position FROM attempts \
        WHERE job_id IN (SELECT value FROM json_each(?1)) \
        UNION ALL SELECT \(AttemptRecord.currentAttemptColumns), \(Int64.max) FROM jobs \
        WHERE id IN (SELECT value FROM json_each(?1)) \
        AND state IN (\(JobState.running.code), \(JobState.completed.code)) AND attempted_at IS NOT NULL \
        ORDER BY job_id, position
        """

    /// Jobs in `state` in id order, after `afterID` when given, at most `limit`.
    package func jobs(in state: JobState, after afterID: JobID?, limit: Int) async throws -> [JobRecord] {
        try await read { connection in
            guard limit > 0 else { return [] }
            return try connection.rows(
                state.isInStateIndex ? Self.jobsInStateSQL : Self.jobsByRowidSQL, [state.code, afterID?.rawValue ?? Int64.min, limit],
                row: { try JobRecord(row: $0, payloadsFrom: connection) })
        }
    }

    /// Pages through one state's jobs on jobs_state (its key `state + 0`, and its condition) from id
    /// `?2`.
    static let jobsInStateSQL = """
        SELECT \(JobRecord.columns) FROM jobs INDEXED BY jobs_state \
        WHERE state + 0 = ?1 AND \(JournalSchema.stateIndexCondition) AND id > ?2 ORDER BY id LIMIT ?3
        """

    /// Scheduled and completed jobs, which jobs_state leaves out, through the rowid from `?2`: the
    /// scheduler's poll reads only the newest scheduled jobs this way.
    static let jobsByRowidSQL = "SELECT \(JobRecord.columns) FROM jobs WHERE state = ?1 AND id > ?2 ORDER BY id LIMIT ?3"

    /// The query plan of the due-entries statement for `priority`, one line per step. For tests.
    func dueEntriesQueryPlan(priority: Int) async throws -> [String] {
        try await read { connection in
            try connection.rows("EXPLAIN QUERY PLAN " + Self.dueEntriesSQL(priority: priority)) { $0.text(3) }
        }
    }
}
