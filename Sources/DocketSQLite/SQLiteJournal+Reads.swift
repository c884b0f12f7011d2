import DocketCore

extension SQLiteJournal {
    /// Scheduled jobs due at or before `horizon`, in (run-at, id) order, strictly after `cursor` when
    /// given, at most `limit`. Reads jobs_due from the cursor on, so paging costs the page, not the
    /// offset.
    public func dueEntries(through horizon: Timestamp, after cursor: DueEntry?, limit: Int) async throws -> [DueEntry] {
        guard limit > 0 else { return try await read { _ in [] } }
        // Without a cursor, start before every possible (run_at, id).
        let after = cursor.map { ($0.runAt.microsecondsSinceEpoch, $0.id.rawValue) } ?? (Int64.min, Int64.min)
        return try await read { connection in
            try connection.rows(Self.dueEntriesSQL, [horizon, after.0, after.1, limit]) {
                DueEntry(
                    id: JobID($0.int64(0)), runAt: Timestamp(microsecondsSinceEpoch: $0.int64(1)),
                    priority: $0.int(2), name: $0.text(3))
            }
        }
    }

    static let dueEntriesSQL = """
        SELECT id, run_at, priority, name FROM jobs WHERE state = 0 AND run_at <= ?1 AND (run_at, id) > (?2, ?3) \
        ORDER BY run_at, id LIMIT ?4
        """

    /// The job with `id`, or nil.
    public func job(_ id: JobID) async throws -> JobRecord? {
        try await read { connection in
            try connection.firstRow(
                "SELECT \(JobRecord.columns) FROM jobs WHERE id = ?1", [id], row: JobRecord.init(row:))
        }
    }

    /// Every attempt of the job with `id`, oldest first; empty for an unknown id.
    public func attempts(of id: JobID) async throws -> [AttemptRecord] {
        try await read { connection in
            try connection.rows(
                "SELECT \(AttemptRecord.columns) FROM attempts WHERE job_id = ?1 ORDER BY seq", [id],
                row: AttemptRecord.init(row:))
        }
    }

    /// How many jobs are in each state; states with no jobs are absent.
    public func countsByState() async throws -> [JobState: Int] {
        try await read { connection in
            let counts = try connection.rows("SELECT state, count(*) FROM jobs GROUP BY state") {
                (try JobState(code: $0.int(0)).unwrap(or: "unknown state code \($0.int(0))"), $0.int(1))
            }
            return Dictionary(uniqueKeysWithValues: counts)
        }
    }

    /// Jobs in `state` in id order, after `afterID` when given, at most `limit`.
    public func jobs(in state: JobState, after afterID: JobID?, limit: Int) async throws -> [JobRecord] {
        try await read { connection in
            guard limit > 0 else { return [] }
            return try connection.rows(
                "SELECT \(JobRecord.columns) FROM jobs WHERE state = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                [state.code, afterID?.rawValue ?? Int64.min, limit], row: JobRecord.init(row:))
        }
    }

    /// The query plan of the due-entries statement, one line per step. For tests.
    func dueEntriesQueryPlan() async throws -> [String] {
        try await read { connection in
            try connection.rows("EXPLAIN QUERY PLAN " + Self.dueEntriesSQL) { $0.text(3) }
        }
    }
}
