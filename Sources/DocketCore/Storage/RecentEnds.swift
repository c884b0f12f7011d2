/// The jobs that ended in a recent window, as ``JobStore/recentEnds(since:bucketMicroseconds:latenessSample:)``
/// reads them from the index of end times: what a dashboard draws throughput and lateness from.
package struct RecentEnds: Sendable, Hashable {
    /// How many jobs ended in one bucket of the window, per ended state.
    package struct Bucket: Sendable, Hashable {
        /// The bucket's index from the window's start: bucket `i` covers
        /// `[since + i × width, since + (i + 1) × width)`.
        package var index: Int
        package var state: JobState
        package var count: Int

        package init(index: Int, state: JobState, count: Int) {
            self.index = index
            self.state = state
            self.count = count
        }
    }

    /// The buckets that have any end, in no particular order.
    package var buckets: [Bucket]
    /// For the most recent completed and discarded jobs of the window (at most the sample asked
    /// for, of each state), how long after its due time each one's last attempt started, in
    /// microseconds (zero for an attempt that started early, as a run-now can).
    package var lateness: [Int64]

    package init(buckets: [Bucket] = [], lateness: [Int64] = []) {
        self.buckets = buckets
        self.lateness = lateness
    }
}
