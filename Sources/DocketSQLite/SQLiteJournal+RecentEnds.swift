import DocketCore

extension SQLiteJournal {
    /// The ends in each of `ranges` per state, and the lateness of the latest ends since
    /// `latenessSince`, in one read transaction; every statement is a range of `jobs_finished`
    /// (state, finished_at). A count per range rather than one `GROUP BY` of the whole window: the
    /// grouping by a computed bucket sorts every entry in a temporary b-tree, which costs several
    /// times the count itself.
    package func recentEnds(counting ranges: [Range<Timestamp>], latenessSince: Timestamp, latenessSample: Int) async throws -> RecentEnds {
        let sample = max(0, latenessSample)
        return try await read { connection in
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            var ends = RecentEnds(counts: Array(repeating: RecentEnds.Counts(), count: ranges.count))
            for (index, range) in ranges.enumerated() where !range.isEmpty {
                func count(_ state: JobState) throws -> Int {
                    try connection.rows(Self.endsInRangeSQL, [state.code, range.lowerBound, range.upperBound]) { $0.int(0) }.first ?? 0
                }
                ends.counts[index] = RecentEnds.Counts(
                    completed: try count(.completed), discarded: try count(.discarded), cancelled: try count(.cancelled))
            }
            if sample > 0 {
                for state in [JobState.completed, .discarded] {
                    ends.lateness += try connection.rows(Self.latestLatenessSQL, [state.code, latenessSince, sample]) { $0.int64(0) }
                }
            }
            return ends
        }
    }

    static let endsInRangeSQL = """
        SELECT count(*) FROM jobs WHERE state = ?1 AND finished_at >= ?2 AND finished_at < ?3
        """
    // A job's row keeps its last attempt's start (attempted_at) and the due time that attempt was
    // claimed at (run_at); jobs ended before version 2 have no attempted_at and are left out.
    static let latestLatenessSQL = """
        SELECT max(0, attempted_at - run_at) FROM jobs \
        WHERE state = ?1 AND finished_at >= ?2 AND attempted_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?3
        """
}
