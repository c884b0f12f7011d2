extension TimerIndex {
    /// Traps with a description of the first broken invariant; for tests and debugging.
    ///
    /// Checks that the earliest bucket is a heap of entries that all fall in it and precede every
    /// later bucket; that each later bucket's entries fall in it and that its heap-order flag is
    /// truthful; that the key heap holds exactly the bucket keys; that the empty-bucket count is
    /// right; and that the id → slot map names every entry where it is, and nothing else.
    ///
    /// Building with `-DDOCKET_INTERNAL_CHECKS` runs this after every mutation, which makes every
    /// operation O(*n*).
    ///
    /// - Complexity: O(*n* + *b*).
    package func checkInvariants() {
        var seen = 0
        if front.isEmpty {
            precondition(buckets.values.allSatisfy(\.entries.isEmpty), "TimerIndex: empty front with later entries")
        }
        precondition(IndexedHeap.isHeap(front), "TimerIndex: front bucket \(frontKey) is not a heap")
        for (index, entry) in front.enumerated() {
            precondition(bucketKey(of: entry.deadline) == frontKey, "TimerIndex: \(entry) outside front \(frontKey)")
            precondition(
                slots[entry.id] == TimerSlot(bucket: frontKey, index: index),
                "TimerIndex: front entry \(entry) at \(index) has slot \(String(describing: slots[entry.id]))")
            seen += 1
        }
        var empties = 0
        for (key, bucket) in buckets {
            if bucket.entries.isEmpty {
                empties += 1
                continue
            }
            precondition(key > frontKey, "TimerIndex: later bucket \(key) not after front \(frontKey)")
            precondition(
                !bucket.isHeapOrdered || IndexedHeap.isHeap(bucket.entries),
                "TimerIndex: bucket \(key) claims heap order it lacks")
            for (index, entry) in bucket.entries.enumerated() {
                precondition(bucketKey(of: entry.deadline) == key, "TimerIndex: \(entry) outside bucket \(key)")
                precondition(
                    slots[entry.id] == TimerSlot(bucket: key, index: index),
                    "TimerIndex: entry \(entry) at \(key)/\(index) has slot \(String(describing: slots[entry.id]))")
                seen += 1
            }
        }
        precondition(empties == emptyBucketCount, "TimerIndex: \(empties) empty buckets, counted \(emptyBucketCount)")
        precondition(seen == slots.count, "TimerIndex: \(slots.count) slots for \(seen) entries")
        let keys = bucketKeys.unordered
        precondition(
            keys.count == buckets.count && Set(keys) == Set(buckets.keys),
            "TimerIndex: key heap \(keys.sorted()) differs from buckets \(buckets.keys.sorted())")
    }

    func checkInvariantsIfEnabled() {
        #if DOCKET_INTERNAL_CHECKS
            checkInvariants()
        #endif
    }
}
