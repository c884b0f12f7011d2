/// A timer kept in one indexed binary heap: the baseline ``TimerIndex`` is measured against.
///
/// Every operation pays the logarithm of the whole population, including inserts of deadlines far in
/// the future that ``TimerIndex`` files in O(1). Prefer ``TimerIndex`` in the scheduler; this type
/// exists so benchmarks and tests can compare the two on identical operations.
///
/// | Operation | Cost |
/// |---|---|
/// | ``min`` | O(1) |
/// | ``insert(_:)``, ``remove(_:)``, ``popMin()`` | O(log *n*) |
/// | ``contains(_:)``, ``deadline(of:)`` | O(1) |
package struct TimerHeap: TimerQueue {
    private var entries: [TimerEntry] = []
    private var slots: [JobID: TimerSlot] = [:]

    /// Creates an empty timer.
    package init() {}

    /// The number of entries.
    ///
    /// - Complexity: O(1).
    package var count: Int { entries.count }

    /// Whether there are no entries.
    ///
    /// - Complexity: O(1).
    package var isEmpty: Bool { entries.isEmpty }

    /// The earliest entry by (deadline, priority, id).
    ///
    /// - Complexity: O(1).
    package var min: TimerEntry? { entries.first }

    /// Adds `entry`, replacing the entry with the same id, if any.
    ///
    /// - Returns: the replaced entry.
    /// - Complexity: O(log *n*).
    @discardableResult
    package mutating func insert(_ entry: TimerEntry) -> TimerEntry? {
        let replaced = remove(entry.id)
        IndexedHeap.insert(entry, into: &entries, bucket: 0, slots: &slots)
        checkInvariantsIfEnabled()
        return replaced
    }

    /// Removes the entry of job `id`.
    ///
    /// - Returns: the removed entry, or nil when there was none.
    /// - Complexity: O(log *n*).
    @discardableResult
    package mutating func remove(_ id: JobID) -> TimerEntry? {
        guard let slot = slots.removeValue(forKey: id) else { return nil }
        let removed = IndexedHeap.remove(at: slot.index, from: &entries, bucket: 0, slots: &slots)
        checkInvariantsIfEnabled()
        return removed
    }

    /// Removes and returns the earliest entry.
    ///
    /// - Complexity: O(log *n*).
    package mutating func popMin() -> TimerEntry? {
        guard let first = entries.first else { return nil }
        return remove(first.id)
    }

    /// Removes and returns, earliest first, up to `limit` entries due at or before `now`.
    ///
    /// - Complexity: O(*k* log *n*) for *k* entries returned.
    package mutating func popDue(through now: Timestamp, limit: Int) -> [TimerEntry] {
        popDueEntries(through: now, limit: limit)
    }

    /// Whether job `id` has an entry.
    ///
    /// - Complexity: O(1).
    package func contains(_ id: JobID) -> Bool {
        slots[id] != nil
    }

    /// The deadline of job `id`'s entry, if it has one.
    ///
    /// - Complexity: O(1).
    package func deadline(of id: JobID) -> Timestamp? {
        slots[id].map { entries[$0.index].deadline }
    }

    /// Removes every entry.
    ///
    /// - Complexity: O(*n*).
    package mutating func removeAll() {
        entries.removeAll()
        slots.removeAll()
    }

    /// Traps with a description of the first broken invariant: heap order, and an id → slot map that
    /// names exactly the entries present.
    ///
    /// - Complexity: O(*n*).
    package func checkInvariants() {
        precondition(slots.count == entries.count, "TimerHeap: \(slots.count) slots for \(entries.count) entries")
        for (index, entry) in entries.enumerated() {
            precondition(
                slots[entry.id] == TimerSlot(bucket: 0, index: index),
                "TimerHeap: entry \(entry) at \(index) has slot \(String(describing: slots[entry.id]))")
        }
        precondition(IndexedHeap.isHeap(entries), "TimerHeap: heap order broken")
    }

    private func checkInvariantsIfEnabled() {
        #if DOCKET_INTERNAL_CHECKS
            checkInvariants()
        #endif
    }
}
