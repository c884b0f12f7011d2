import DocketCore
import DocketLocking

/// The jobs that ended in each minute of the last hour, kept between the overview's reads so that
/// each read counts only what is new.
///
/// Counting an hour of ends reads every entry of that hour in the index of end times: on a journal
/// that ends tens of thousands of jobs a second, an overview refreshed every 2 s would then read
/// millions of entries a minute while the scheduler drains. So the counts of the time that lies more
/// than ``settleMargin`` in the past are kept, and a read counts only from there on; the minutes are
/// those of the clock, so that a kept minute stays the same minute.
///
/// A count kept may go stale: an end committed more than ``settleMargin`` after its own time (a
/// transaction that waited that long for the write lock), a retried discarded job, a pruned one.
/// So the whole hour is counted again once the counts are ``recountInterval`` old, and when the
/// clock goes back.
final class EndsPerMinute: Sendable {
    /// How far behind the present the kept counts stop: ends are recorded at the time of their
    /// transaction, which commits a little later.
    static let settleMargin: Int64 = 2_000_000
    /// How old the kept counts may get before the whole hour is counted again.
    static let recountInterval: Int64 = 60_000_000
    static let minute: Int64 = 60_000_000
    static let minutes = 60

    /// Counts the ends in each range (`[lower, upper)` of end times).
    typealias Count = @Sendable (_ ranges: [Range<Timestamp>]) async throws -> [RecentEnds.Counts]

    private struct Kept {
        /// Minute start (microseconds since the epoch) → its ends before `settled`.
        var minutes: [Int64: RecentEnds.Counts]
        /// Every end before this instant is in `minutes`.
        var settled: Int64
        /// When the whole hour was last counted.
        var countedAt: Int64
    }

    private let kept = Locked<Kept?>(nil)

    /// The last hour's minutes at `now`, oldest first: the 59 whole minutes of the clock before the
    /// present one, then the present one so far.
    func read(now: Timestamp, count: Count) async throws -> [RecentEnds.Counts] {
        let present = now.microsecondsSinceEpoch
        let firstMinute = Self.minuteStart(present) - Int64(Self.minutes - 1) * Self.minute
        let before = kept.withLock { $0 }
        var minutes: [Int64: RecentEnds.Counts]
        var from: Int64
        let countedAt: Int64
        if let before, present - before.countedAt < Self.recountInterval, present >= before.settled {
            minutes = before.minutes.filter { $0.key >= firstMinute }
            from = max(before.settled, firstMinute)
            countedAt = before.countedAt
        } else {
            minutes = [:]
            from = firstMinute
            countedAt = present
        }
        let settled = max(from, present - Self.settleMargin)
        let settling = Self.ranges(from: from, to: settled)
        // What is not kept is counted on each read: the present minute's, and any end stamped after
        // `now` by another process's clock, which the present minute shows.
        let tail = Self.ranges(from: settled, to: present + 1) + [max(settled, present + 1)..<Int64.max]
        let counts = try await count(
            (settling + tail).map { Timestamp(microsecondsSinceEpoch: $0.lowerBound)..<Timestamp(microsecondsSinceEpoch: $0.upperBound) })
        for (range, counted) in zip(settling, counts) {
            minutes[Self.minuteStart(range.lowerBound), default: RecentEnds.Counts()] += counted
        }
        let next = Kept(minutes: minutes, settled: settled, countedAt: countedAt)
        // Two reads at once both counted from the same kept state; the first to finish keeps its result.
        kept.withLock { state in
            if state?.settled == before?.settled && state?.countedAt == before?.countedAt { state = next }
        }
        var shown = minutes
        for (range, counted) in zip(tail, counts.dropFirst(settling.count)) {
            let start = min(Self.minuteStart(range.lowerBound), firstMinute + Int64(Self.minutes - 1) * Self.minute)
            shown[start, default: RecentEnds.Counts()] += counted
        }
        return (0..<Self.minutes).map { shown[firstMinute + Int64($0) * Self.minute] ?? RecentEnds.Counts() }
    }

    static func minuteStart(_ instant: Int64) -> Int64 {
        instant - ((instant % minute) + minute) % minute
    }

    /// `[from, to)` cut at the clock's minutes.
    static func ranges(from: Int64, to: Int64) -> [Range<Int64>] {
        guard from < to else { return [] }
        var ranges: [Range<Int64>] = []
        var lower = from
        while lower < to {
            let upper = min(minuteStart(lower) + minute, to)
            ranges.append(lower..<upper)
            lower = upper
        }
        return ranges
    }
}
