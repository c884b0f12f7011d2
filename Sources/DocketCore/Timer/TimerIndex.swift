import HeapModule

// Design notes: a lazy timing wheel
// =================================
//
// The scheduler keeps in memory only the scheduled jobs due within a horizon, and one sleeper waits
// for the earliest deadline. The index therefore has to answer `min` exactly and cheaply, absorb
// bursts of inserts and cancellations, and cost nothing while idle.
//
// A classic hashed timing wheel files a deadline in O(1) but must tick through every slot, empty or
// not, and loses exactness inside a slot. A binary heap is exact but charges O(log n) for every
// insert and cancel, even for jobs due in an hour that will be cancelled long before then.
//
// This index takes the wheel's coarse buckets without the ticking. A bucket holds the deadlines in
// one `bucketWidth`-wide interval, keyed by `floor(deadline / width)`. Only non-empty bucket keys
// enter a min-heap (HeapModule's `Heap<Int64>`), so empty stretches of time, idle periods and
// far-future deadlines cost nothing. Only the earliest bucket, the *front*, is kept exactly ordered,
// as an indexed binary heap; every other bucket is an unsorted array. When the front empties, the
// next bucket key is popped and that bucket is heapified once, in O(its size). An id → (bucket,
// index) map makes cancellation O(1) by swap-removal in an unsorted bucket, or O(log front) by an
// indexed-heap removal in the front; removals are eager, so `min` never shows a cancelled entry.
//
// A bucket that empties by cancellation keeps its key in the key heap (the heap cannot delete from
// the middle) until that key reaches the top or until empty buckets outnumber live ones, when the
// key heap is rebuilt; either way its cost is paid once, by the removal that emptied it.
//
// The width only trades costs; results never depend on it, and the tests check that against
// `TimerHeap` for widths from a microsecond to a day. Too narrow and nearly every insert opens a
// bucket (the key heap then does a plain heap's work); too wide and the front holds most entries
// (the entry heap then does). One second suits job timing: delays are written in seconds or
// coarser, a burst scheduled "in 5s" lands in one bucket, and a horizon of minutes spans only
// hundreds of buckets.

/// The scheduler's timer: scheduled jobs ordered by deadline, in a lazy timing wheel.
///
/// Deadlines are filed into coarse buckets of ``bucketWidth``. Only non-empty buckets exist, their
/// keys ordered by a min-heap, and only the earliest bucket is kept exactly ordered, so the common
/// operations (scheduling far ahead, cancelling, rescheduling) are O(1) while ``min`` stays exact.
/// Results are identical to ``TimerHeap``'s for the same operations; only costs differ.
///
/// With *n* entries, *b* non-empty buckets and *f* entries in the earliest bucket:
///
/// | Operation | Cost |
/// |---|---|
/// | ``min`` | O(1), exact |
/// | ``insert(_:)`` into an existing later bucket | O(1) amortized |
/// | ``insert(_:)`` opening a new bucket | O(log *b*) |
/// | ``insert(_:)`` into the earliest bucket | O(log *f*) |
/// | ``remove(_:)`` from a later bucket | O(1) amortized |
/// | ``remove(_:)``, ``popMin()`` from the earliest bucket | O(log *f*), plus O(log *b* + *f′*) when it empties and the next bucket, of *f′* entries, is heapified |
/// | ``contains(_:)``, ``deadline(of:)`` | O(1) |
///
/// Each entry is heapified at most once per time its bucket becomes the earliest, so popping every
/// entry costs O(*n* log *f* + *b* log *b*) overall, against O(*n* log *n*) for a heap.
///
/// Memory is one array slot and one map entry per job, plus one key per bucket.
package struct TimerIndex: TimerQueue {
    /// An unsorted later bucket; remembers whether it is still in heap order (a demoted front that
    /// nothing has touched since), which saves its next heapify.
    struct Bucket {
        var entries: [TimerEntry]
        var isHeapOrdered: Bool
    }

    /// One second: see the design notes in this file for the trade-off.
    package static let defaultBucketWidth: Duration = .seconds(1)

    /// The width of a bucket, at least one microsecond.
    package let bucketWidth: Duration

    let widthMicros: Int64
    /// The earliest non-empty bucket, in heap order. Empty only when the whole index is.
    var front: [TimerEntry] = []
    /// The key of ``front``; meaningless while it is empty.
    var frontKey: Int64 = 0
    /// Every later bucket, and emptied buckets whose key is still in ``bucketKeys``.
    var buckets: [Int64: Bucket] = [:]
    /// Exactly the keys of ``buckets``.
    var bucketKeys = Heap<Int64>()
    /// Where each entry is.
    var slots: [JobID: TimerSlot] = [:]
    /// How many of ``buckets`` are empty, awaiting their key's turn or a rebuild.
    var emptyBucketCount = 0

    /// Creates an empty index with buckets `bucketWidth` wide.
    ///
    /// Widths below one microsecond (including zero and negative ones) become one microsecond.
    package init(bucketWidth: Duration = TimerIndex.defaultBucketWidth) {
        widthMicros = Swift.max(1, bucketWidth.microseconds)
        self.bucketWidth = .microseconds(widthMicros)
    }

    /// The number of entries.
    ///
    /// - Complexity: O(1).
    package var count: Int { slots.count }

    /// Whether there are no entries.
    ///
    /// - Complexity: O(1).
    package var isEmpty: Bool { front.isEmpty }

    /// The number of non-empty buckets, for diagnostics and benchmarks.
    ///
    /// - Complexity: O(1).
    package var bucketCount: Int {
        front.isEmpty ? 0 : 1 + buckets.count - emptyBucketCount
    }

    /// The earliest entry by (deadline, priority, id), exactly.
    ///
    /// - Complexity: O(1).
    package var min: TimerEntry? { front.first }

    /// Adds `entry`, replacing the entry with the same id, if any.
    ///
    /// - Returns: the replaced entry.
    /// - Complexity: O(1) amortized into an existing later bucket, O(log *b*) when it opens a bucket,
    ///   O(log *f*) into the earliest bucket; a replacement adds the cost of ``remove(_:)``.
    @discardableResult
    package mutating func insert(_ entry: TimerEntry) -> TimerEntry? {
        let replaced = removeEntry(entry.id)
        let key = bucketKey(of: entry.deadline)
        if front.isEmpty {
            startFront(with: entry, key: key)
        } else if key == frontKey {
            IndexedHeap.insert(entry, into: &front, bucket: key, slots: &slots)
        } else if key < frontKey {
            demoteFront()
            startFront(with: entry, key: key)
        } else {
            file(entry, key: key)
        }
        checkInvariantsIfEnabled()
        return replaced
    }

    /// Removes the entry of job `id`.
    ///
    /// - Returns: the removed entry, or nil when there was none.
    /// - Complexity: O(1) amortized from a later bucket, O(log *f*) from the earliest, plus a
    ///   promotion (O(log *b* + *f′*)) when that empties it.
    @discardableResult
    package mutating func remove(_ id: JobID) -> TimerEntry? {
        let removed = removeEntry(id)
        checkInvariantsIfEnabled()
        return removed
    }

    /// Removes and returns the earliest entry.
    ///
    /// - Complexity: O(log *f*) amortized: O(log *f*), plus a promotion when the earliest bucket
    ///   empties.
    package mutating func popMin() -> TimerEntry? {
        guard let first = front.first else { return nil }
        slots[first.id] = nil
        let popped = IndexedHeap.remove(at: 0, from: &front, bucket: frontKey, slots: &slots)
        if front.isEmpty { promoteNextBucket() }
        checkInvariantsIfEnabled()
        return popped
    }

    /// Removes and returns, earliest first, up to `limit` entries due at or before `now`.
    ///
    /// - Complexity: O(*k* log *f*) amortized for *k* entries returned.
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
        guard let slot = slots[id] else { return nil }
        return entry(at: slot).deadline
    }

    /// Removes every entry, keeping the bucket width.
    ///
    /// - Complexity: O(*n*).
    package mutating func removeAll() {
        front.removeAll()
        frontKey = 0
        buckets.removeAll()
        bucketKeys = Heap()
        slots.removeAll()
        emptyBucketCount = 0
    }
}
