/// A wall-clock instant, as microseconds since 1970-01-01T00:00:00Z.
///
/// Run-at times are wall-clock times because they must mean the same thing after a restart or in
/// another process; the scheduler waits on a monotonic clock and re-reads the wall clock when it
/// wakes, so a jump of the wall clock makes a job late at worst. Integer microseconds keep the
/// journal's keys exact and ordering total.
package struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Microseconds since the Unix epoch; negative before 1970.
    package var microsecondsSinceEpoch: Int64

    /// Creates an instant from microseconds since the Unix epoch.
    package init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// The Unix epoch.
    package static let epoch = Timestamp(microsecondsSinceEpoch: 0)

    /// The earliest instant a journal stores.
    package static let distantPast = Timestamp(microsecondsSinceEpoch: .min)

    /// The latest instant a journal stores.
    package static let distantFuture = Timestamp(microsecondsSinceEpoch: .max)

    /// Earlier instants order first.
    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// The instant `duration` after `timestamp`, saturating at ``distantPast`` and ``distantFuture``.
    package static func + (timestamp: Timestamp, duration: Duration) -> Timestamp {
        let (sum, overflow) = timestamp.microsecondsSinceEpoch.addingReportingOverflow(duration.microseconds)
        if overflow { return duration < .zero ? .distantPast : .distantFuture }
        return Timestamp(microsecondsSinceEpoch: sum)
    }

    /// The instant `duration` before `timestamp`, saturating.
    package static func - (timestamp: Timestamp, duration: Duration) -> Timestamp {
        timestamp + (.zero - duration)
    }

    /// The time from `earlier` to `self` (negative when `earlier` is later).
    package func duration(since earlier: Timestamp) -> Duration {
        let (difference, overflow) = microsecondsSinceEpoch.subtractingReportingOverflow(
            earlier.microsecondsSinceEpoch)
        if overflow { return self < earlier ? .microseconds(Int64.min) : .microseconds(Int64.max) }
        return .microseconds(difference)
    }

    /// The microsecond count, for logs.
    package var description: String { "\(microsecondsSinceEpoch)µs" }
}

extension Duration {
    /// The duration in whole microseconds, rounded toward zero and saturating at the bounds of `Int64`.
    package var microseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return total
    }
}
