/// The offset rules of one time zone: what a wall clock there reads at any instant.
///
/// The core never reads the system's zone database: the API module supplies an implementation
/// backed by it, and tests supply ``FixedZoneRules`` or hand-made rules. An implementation answers
/// two questions, both in whole seconds since 1970-01-01T00:00:00Z; ``resolve(_:)``, built on them,
/// answers the question recurrence rules ask (which instant is 02:30 on 8 March?).
package protocol ZoneRules: Sendable {
    /// The zone's name, such as `America/New_York` or `UTC`, for messages and storage.
    var identifier: String { get }

    /// The offset in seconds east of UTC in force at `seconds`: −18 000 for New York in winter,
    /// +19 800 for Kolkata, +37 800 for Lord Howe Island in winter.
    ///
    /// - Complexity: implementation-defined; expected O(log *t*) in the zone's transitions.
    func offset(atUTC seconds: Int64) -> Int

    /// The first instant after `seconds` (strictly) at which the offset changes: the instant `t`
    /// from which ``offset(atUTC:)`` returns a value other than at `t - 1`. Nil when the offset never
    /// changes again.
    ///
    /// Rules may report an instant at which only the zone's name for its time changes and the offset
    /// stays the same; users of this method skip such instants.
    ///
    /// - Complexity: implementation-defined; expected O(log *t*) in the zone's transitions.
    func nextTransition(afterUTC seconds: Int64) -> Int64?
}

/// Which instants a wall-clock time stands for in a zone.
package enum LocalTimeResolution: Hashable, Sendable {
    /// The wall time occurs once, at this instant.
    case unique(Int64)
    /// The wall time never occurs: clocks jumped over it. At `gapStartUTC` the offset changed from
    /// `offsetBefore` to the larger `offsetAfter`, so wall times from `gapStartUTC + offsetBefore`
    /// up to (not including) `gapStartUTC + offsetAfter` were skipped.
    case skipped(gapStartUTC: Int64, offsetBefore: Int, offsetAfter: Int)
    /// The wall time occurs twice, at `first` and later at `second`: clocks were set back over it.
    case repeated(first: Int64, second: Int64)
}

extension ZoneRules {
    /// The widest span searched on either side of a wall time: every offset in use is within
    /// ±26 hours, so every instant showing a given wall time lies in this window.
    static var resolutionWindow: Int64 { 172_800 }

    /// Which instants show `local` on this zone's clocks: one, none (a gap) or two (an overlap).
    ///
    /// Works from the zone's transitions in the two days either side, so it needs no assumption on
    /// the size or direction of a shift: the 30-minute shifts of Australia/Lord_Howe and offsets
    /// that are not whole hours resolve like any other. In the unlikely event of a wall time shown
    /// three times in four days, the first and last instants are reported.
    ///
    /// - Parameter local: a valid civil time (``CivilDateTime/isValid``).
    /// - Complexity: O(*k*) calls to ``offset(atUTC:)`` and ``nextTransition(afterUTC:)``, where *k*
    ///   is the number of transitions within two days of `local` (at most 16 are examined).
    package func resolve(_ local: CivilDateTime) -> LocalTimeResolution {
        let wall = local.secondsSince1970(offset: 0)
        let windowEnd = wall + Self.resolutionWindow
        var start = wall - Self.resolutionWindow
        var offset = self.offset(atUTC: start)
        var first: Int64?
        var last: Int64?
        var gap: LocalTimeResolution?
        for _ in 0..<16 {
            let next = nextTransition(afterUTC: start)
            // A rule that fails to move forward is treated as having no further transition.
            let end = next.map { $0 > start ? $0 : Int64.max } ?? Int64.max
            let candidate = wall - Int64(offset)
            if candidate >= start, candidate < end {
                if first == nil { first = candidate }
                last = candidate
            }
            guard end <= windowEnd else { break }
            let offsetAfter = self.offset(atUTC: end)
            if offsetAfter > offset, wall >= end + Int64(offset), wall < end + Int64(offsetAfter) {
                gap = .skipped(gapStartUTC: end, offsetBefore: offset, offsetAfter: offsetAfter)
            }
            start = end
            offset = offsetAfter
        }
        if let first, let last {
            return first == last ? .unique(first) : .repeated(first: first, second: last)
        }
        if let gap { return gap }
        // Unreachable for consistent rules; the instant at the current offset is the best answer.
        return .unique(wall - Int64(offset))
    }

    /// The wall-clock time at `seconds` in this zone.
    ///
    /// - Complexity: one call to ``offset(atUTC:)``.
    package func civilTime(atUTC seconds: Int64) -> CivilDateTime {
        CivilDateTime(secondsSince1970: seconds, offset: offset(atUTC: seconds))
    }
}

/// A zone whose offset never changes: UTC by default, or a fixed offset such as +05:30.
package struct FixedZoneRules: ZoneRules, Hashable {
    /// The zone's name: `UTC`, or the one given.
    package var identifier: String
    /// The offset in seconds east of UTC, at every instant.
    package var offsetSeconds: Int

    /// UTC, or a fixed offset of `offsetSeconds` east of UTC, named `identifier` (by default
    /// `UTC` for zero and `UTC+05:30`-style names otherwise).
    ///
    /// - Complexity: O(1).
    package init(offsetSeconds: Int = 0, identifier: String? = nil) {
        self.offsetSeconds = offsetSeconds
        self.identifier = identifier ?? Self.name(offsetSeconds)
    }

    /// UTC.
    package static let utc = FixedZoneRules()

    /// Always ``offsetSeconds``.
    ///
    /// - Complexity: O(1).
    package func offset(atUTC seconds: Int64) -> Int { offsetSeconds }

    /// Always nil: the offset never changes.
    ///
    /// - Complexity: O(1).
    package func nextTransition(afterUTC seconds: Int64) -> Int64? { nil }

    /// `UTC`, or `UTC+05:30` for an offset, with seconds when it has some.
    private static func name(_ offset: Int) -> String {
        guard offset != 0 else { return "UTC" }
        let magnitude = offset.magnitude
        let hours = magnitude / 3_600
        let minutes = magnitude / 60 % 60
        let seconds = magnitude % 60
        func two(_ value: UInt) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let base = "UTC\(offset < 0 ? "-" : "+")\(two(hours)):\(two(minutes))"
        return seconds == 0 ? base : base + ":\(two(seconds))"
    }
}
