/// The jobs that ended in given ranges of end times, as
/// ``JobStore/recentEnds(counting:latenessSince:latenessSample:)`` reads them from the index of end
/// times: what a dashboard draws throughput and lateness from.
package struct RecentEnds: Sendable, Hashable {
    /// How many jobs ended in one range of end times, per ended state.
    package struct Counts: Sendable, Hashable {
        package var completed: Int
        package var discarded: Int
        package var cancelled: Int

        package init(completed: Int = 0, discarded: Int = 0, cancelled: Int = 0) {
            self.completed = completed
            self.discarded = discarded
            self.cancelled = cancelled
        }

        package var total: Int { completed + discarded + cancelled }

        package static func + (left: Counts, right: Counts) -> Counts {
            Counts(
                completed: left.completed + right.completed, discarded: left.discarded + right.discarded,
                cancelled: left.cancelled + right.cancelled)
        }

        package static func += (left: inout Counts, right: Counts) {
            left = left + right
        }
    }

    /// One entry per range asked for, in the same order.
    package var counts: [Counts]
    /// For the most recent completed and discarded jobs that ended since the time asked for (at most
    /// the sample asked for, of each state), how long after its due time each one's last attempt
    /// started, in microseconds (zero for an attempt that started early, as a run-now can).
    package var lateness: [Int64]

    package init(counts: [Counts] = [], lateness: [Int64] = []) {
        self.counts = counts
        self.lateness = lateness
    }
}
