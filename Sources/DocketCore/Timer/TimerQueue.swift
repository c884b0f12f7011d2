/// A set of timer entries, at most one per job, that yields them earliest first.
///
/// ``TimerIndex`` (a wheel of buckets) and ``TimerHeap`` (one binary heap) both conform, so the
/// scheduler, benchmarks and tests can swap one for the other. Conformers must agree exactly:
/// same results for the same operations, ties broken by ``TimerEntry``'s (deadline, priority, id).
package protocol TimerQueue: Sendable {
    /// The number of entries.
    var count: Int { get }
    /// Whether there are no entries.
    var isEmpty: Bool { get }
    /// The earliest entry, exactly; never one that was removed.
    var min: TimerEntry? { get }
    /// Adds `entry`, replacing the entry with the same id, if any.
    ///
    /// - Returns: the replaced entry.
    @discardableResult mutating func insert(_ entry: TimerEntry) -> TimerEntry?
    /// Removes the entry of job `id`.
    ///
    /// - Returns: the removed entry, or nil when there was none.
    @discardableResult mutating func remove(_ id: JobID) -> TimerEntry?
    /// Removes and returns the earliest entry.
    mutating func popMin() -> TimerEntry?
    /// Removes and returns, earliest first, up to `limit` entries due at or before `now`.
    mutating func popDue(through now: Timestamp, limit: Int) -> [TimerEntry]
    /// Whether job `id` has an entry.
    func contains(_ id: JobID) -> Bool
    /// The deadline of job `id`'s entry, if it has one.
    func deadline(of id: JobID) -> Timestamp?
    /// Removes every entry.
    mutating func removeAll()
    /// Traps with a description of the first broken internal invariant; for tests and debugging.
    func checkInvariants()
}

extension TimerQueue {
    /// Pops with ``popMin()`` while the earliest entry is due; shared so both timers agree on limits.
    mutating func popDueEntries(through now: Timestamp, limit: Int) -> [TimerEntry] {
        guard limit > 0 else { return [] }
        var due: [TimerEntry] = []
        while due.count < limit, let first = min, first.deadline <= now, let popped = popMin() {
            due.append(popped)
        }
        return due
    }
}
