import DocketCore

extension SQLiteJournal {
    /// The ends since `since` per state and bucket, and the lateness of the latest ends, in one read
    /// transaction; every statement is a range of `jobs_finished` (state, finished_at).
    package func recentEnds(since: Timestamp, bucketMicroseconds: Int64, latenessSample: Int) async throws -> RecentEnds {
        let width = max(1, bucketMicroseconds)
        let sample = max(0, latenessSample)
        return try await read { connection in
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            var ends = RecentEnds()
            for state in [JobState.completed, .discarded, .cancelled] {
                ends.buckets += try connection.rows(Self.endsPerBucketSQL, [state.code, since, width]) { row in
                    RecentEnds.Bucket(index: row.int(0), state: state, count: row.int(1))
                }
                if state != .cancelled, sample > 0 {
                    ends.lateness += try connection.rows(Self.latestLatenessSQL, [state.code, since, sample]) { $0.int64(0) }
                }
            }
            return ends
        }
    }

    static let endsPerBucketSQL = """
        SELECT (finished_at - ?2) / ?3, count(*) FROM jobs WHERE state = ?1 AND finished_at >= ?2 GROUP BY 1
        """
    // A job's row keeps its last attempt's start (attempted_at) and the due time that attempt was
    // claimed at (run_at); jobs ended before version 2 have no attempted_at and are left out.
    static let latestLatenessSQL = """
        SELECT max(0, attempted_at - run_at) FROM jobs \
        WHERE state = ?1 AND finished_at >= ?2 AND attempted_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?3
        """
}
