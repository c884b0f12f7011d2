import HeapModule

extension TimerIndex {
    /// The bucket a deadline falls in: `floor(deadline / width)`, so buckets tile the whole timeline,
    /// before 1970 included. Cannot overflow: the width is at least 1.
    func bucketKey(of deadline: Timestamp) -> Int64 {
        let (quotient, remainder) = deadline.microsecondsSinceEpoch.quotientAndRemainder(dividingBy: widthMicros)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The entry at `slot`, which must be current.
    func entry(at slot: TimerSlot) -> TimerEntry {
        // Later buckets never share the front's key while non-empty, so the key alone says where.
        if slot.bucket == frontKey, !front.isEmpty { return front[slot.index] }
        guard let bucket = buckets[slot.bucket] else { preconditionFailure("TimerIndex: stale slot \(slot)") }
        return bucket.entries[slot.index]
    }

    /// ``remove(_:)`` without the invariant check, so ``insert(_:)`` checks once.
    mutating func removeEntry(_ id: JobID) -> TimerEntry? {
        guard let slot = slots.removeValue(forKey: id) else { return nil }
        if slot.bucket == frontKey, !front.isEmpty {
            let removed = IndexedHeap.remove(at: slot.index, from: &front, bucket: frontKey, slots: &slots)
            if front.isEmpty { promoteNextBucket() }
            return removed
        }
        guard let position = buckets.index(forKey: slot.bucket) else {
            preconditionFailure("TimerIndex: slot \(slot) of job \(id) names no bucket")
        }
        // Swap-remove: order inside a later bucket does not matter until it is promoted.
        let removed = buckets.values[position].entries[slot.index]
        let last = buckets.values[position].entries.removeLast()
        if slot.index < buckets.values[position].entries.count {
            buckets.values[position].entries[slot.index] = last
            buckets.values[position].isHeapOrdered = false
            slots[last.id] = slot
        }
        if buckets.values[position].entries.isEmpty {
            emptyBucketCount += 1
            dropEmptyBucketsIfMostlyEmpty()
        }
        return removed
    }

    /// Makes `entry` the only entry of a new front bucket. The old front, if any, was demoted.
    mutating func startFront(with entry: TimerEntry, key: Int64) {
        front = [entry]
        frontKey = key
        slots[entry.id] = TimerSlot(bucket: key, index: 0)
    }

    /// Turns the front into an ordinary later bucket, because an earlier deadline arrived.
    ///
    /// Its array stays in heap order, and entries keep their slots, so this is O(log *b*).
    mutating func demoteFront() {
        let demoted = Bucket(entries: front, isHeapOrdered: true)
        front = []
        if let position = buckets.index(forKey: frontKey) {
            // An emptied bucket under this key is still waiting in the key heap: reuse its key.
            buckets.values[position] = demoted
            emptyBucketCount -= 1
        } else {
            buckets[frontKey] = demoted
            bucketKeys.insert(frontKey)
        }
    }

    /// Appends `entry` to the later bucket `key`, opening the bucket if needed.
    mutating func file(_ entry: TimerEntry, key: Int64) {
        guard let position = buckets.index(forKey: key) else {
            buckets[key] = Bucket(entries: [entry], isHeapOrdered: true)
            bucketKeys.insert(key)
            slots[entry.id] = TimerSlot(bucket: key, index: 0)
            return
        }
        let index = buckets.values[position].entries.count
        if index == 0 { emptyBucketCount -= 1 }
        buckets.values[position].entries.append(entry)
        // One entry is trivially a heap; appending to more breaks the order.
        buckets.values[position].isHeapOrdered = index == 0
        slots[entry.id] = TimerSlot(bucket: key, index: index)
    }

    /// Makes the earliest non-empty later bucket the front, after the front emptied.
    mutating func promoteNextBucket() {
        while let key = bucketKeys.popMin() {
            guard var bucket = buckets.removeValue(forKey: key) else {
                preconditionFailure("TimerIndex: key \(key) has no bucket")
            }
            if bucket.entries.isEmpty {
                emptyBucketCount -= 1
                continue
            }
            if !bucket.isHeapOrdered {
                IndexedHeap.heapify(&bucket.entries, bucket: key, slots: &slots)
            }
            front = bucket.entries
            frontKey = key
            return
        }
    }

    /// Rebuilds the key heap without emptied buckets once they outnumber the live ones.
    ///
    /// Each rebuild costs O(*b*) but follows at least *b*/2 removals that emptied a bucket, so its cost
    /// is O(1) amortized per removal; the floor of 16 spares small indexes the churn.
    mutating func dropEmptyBucketsIfMostlyEmpty() {
        guard emptyBucketCount > 16, emptyBucketCount * 2 > buckets.count else { return }
        buckets = buckets.filter { !$0.value.entries.isEmpty }
        bucketKeys = Heap(buckets.keys)
        emptyBucketCount = 0
    }
}
