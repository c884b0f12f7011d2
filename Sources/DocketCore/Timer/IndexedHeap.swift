/// Where a timer keeps an entry: the bucket (always 0 in ``TimerHeap``) and the index in its array.
struct TimerSlot: Hashable, Sendable {
    var bucket: Int64
    var index: Int
}

/// Binary min-heap operations on a plain array of entries that keep an id → slot map current.
///
/// HeapModule's `Heap` cannot remove an arbitrary element, and cancelling a job must not wait until
/// its deadline reaches the top, so both timers share this small indexed heap instead. Every move
/// of an entry records its new index, which costs one hash-map write per level.
enum IndexedHeap {
    /// Appends `entry` and restores heap order.
    ///
    /// - Complexity: O(log *n*).
    static func insert(
        _ entry: TimerEntry, into entries: inout [TimerEntry], bucket: Int64, slots: inout [JobID: TimerSlot]
    ) {
        entries.append(entry)
        siftUp(&entries, from: entries.count - 1, bucket: bucket, slots: &slots)
    }

    /// Removes the entry at `index` and restores heap order. The caller drops the removed entry's slot.
    ///
    /// - Complexity: O(log *n*).
    static func remove(
        at index: Int, from entries: inout [TimerEntry], bucket: Int64, slots: inout [JobID: TimerSlot]
    ) -> TimerEntry {
        let removed = entries[index]
        let last = entries.removeLast()
        guard index < entries.count else { return removed }
        entries[index] = last
        // The last leaf may belong above or below the hole, depending on which subtree it came from.
        if index > 0, last < entries[(index - 1) / 2] {
            siftUp(&entries, from: index, bucket: bucket, slots: &slots)
        } else {
            siftDown(&entries, from: index, bucket: bucket, slots: &slots)
        }
        return removed
    }

    /// Arranges an arbitrary array into a heap (Floyd's method).
    ///
    /// - Complexity: O(*n*).
    static func heapify(_ entries: inout [TimerEntry], bucket: Int64, slots: inout [JobID: TimerSlot]) {
        guard entries.count > 1 else { return }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) {
            siftDown(&entries, from: index, bucket: bucket, slots: &slots)
        }
    }

    /// Whether `entries` satisfies the heap property.
    ///
    /// - Complexity: O(*n*).
    static func isHeap(_ entries: [TimerEntry]) -> Bool {
        entries.indices.dropFirst().allSatisfy { !(entries[$0] < entries[($0 - 1) / 2]) }
    }

    private static func siftUp(
        _ entries: inout [TimerEntry], from start: Int, bucket: Int64, slots: inout [JobID: TimerSlot]
    ) {
        let item = entries[start]
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            guard item < entries[parent] else { break }
            entries[index] = entries[parent]
            slots[entries[index].id] = TimerSlot(bucket: bucket, index: index)
            index = parent
        }
        entries[index] = item
        slots[item.id] = TimerSlot(bucket: bucket, index: index)
    }

    private static func siftDown(
        _ entries: inout [TimerEntry], from start: Int, bucket: Int64, slots: inout [JobID: TimerSlot]
    ) {
        let item = entries[start]
        let count = entries.count
        var index = start
        while true {
            let left = 2 * index + 1
            guard left < count else { break }
            let right = left + 1
            let child = right < count && entries[right] < entries[left] ? right : left
            guard entries[child] < item else { break }
            entries[index] = entries[child]
            slots[entries[index].id] = TimerSlot(bucket: bucket, index: index)
            index = child
        }
        entries[index] = item
        slots[item.id] = TimerSlot(bucket: bucket, index: index)
    }
}
