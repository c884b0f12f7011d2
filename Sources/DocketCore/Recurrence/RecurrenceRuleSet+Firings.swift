/// The instants a schedule fires at, in a zone.
extension RecurrenceRuleSet {
    /// The first instant strictly after `instantUTC` at which the schedule fires; nil when it has
    /// ended.
    ///
    /// - Parameters:
    ///   - instantUTC: seconds since 1970-01-01T00:00:00Z.
    ///   - zone: the zone of the start's wall time (the one ``timeZoneIdentifier`` names, if any);
    ///     ignored when the start is in UTC.
    /// - Complexity: without `COUNT`, or when each period yields one occurrence (a rule with no
    ///   `BYxxx` part and a frequency of `WEEKLY` or finer), the search starts at the period holding
    ///   `instantUTC`, so its cost does not grow with the schedule's age: O(1) periods for a rule
    ///   without limits, such as `FREQ=SECONDLY`, whatever its start. With limits, the periods
    ///   examined before the next occurrence are bounded: runs of empty periods end after one
    ///   400-year Gregorian cycle's worth for `DAILY` and coarser rules, after 800 years of days
    ///   for finer ones (each day costing at most a step per hour and minute its limits leave
    ///   open), and the search then reports the rule ended. With `COUNT`
    ///   otherwise, occurrences are counted from the start: O(*c*) for the *c* occurrences up to
    ///   `instantUTC` (at most ``RecurrenceRule/maximumCount``), plus the periods between them.
    ///   Wall times become instants with a few ``ZoneRules`` lookups per pair of offset changes
    ///   walked over, not per occurrence (a full ``ZoneRules/resolve(_:)`` only where two changes
    ///   lie within about a day of each other).
    package func nextFiring(after instantUTC: Int64, in zone: some ZoneRules) -> Int64? {
        var firings = firings(after: instantUTC, in: zone)
        return firings.next()
    }

    /// The instants strictly after `instantUTC` at which the schedule fires, in ascending order;
    /// take the next *n* with `prefix(n)`.
    ///
    /// - Complexity: as ``nextFiring(after:in:)`` for the first instant; each further one costs the
    ///   periods walked to reach it, not a new search.
    package func firings<Zone: ZoneRules>(after instantUTC: Int64, in zone: Zone) -> RecurrenceFirings<Zone> {
        RecurrenceFirings(schedule: self, after: instantUTC, zone: zone)
    }

    /// The next `limit` firings strictly after `instantUTC`, fewer when the schedule ends first.
    ///
    /// - Complexity: as ``firings(after:in:)`` for `limit` instants.
    package func nextFirings(after instantUTC: Int64, limit: Int, in zone: some ZoneRules) -> [Int64] {
        Array(firings(after: instantUTC, in: zone).prefix(max(0, limit)))
    }
}

/// The instants at which a ``RecurrenceRuleSet`` fires after a given instant, ascending, each
/// once.
///
/// Wall times become instants by RFC 5545's rule (see ``RecurrenceRuleSet``). That mapping is not
/// monotonic at a spring-forward gap: 02:30, which takes the offset from before the gap, lands
/// after 03:00. So instants wait in a small sorted buffer until the walk has reached a wall time
/// from which on every instant is at least theirs: any wall time that exists, or the start of the
/// next gap.
package struct RecurrenceFirings<Zone: ZoneRules>: Sequence, IteratorProtocol, Sendable {
    /// The walk over the rule's wall times.
    private var expander: Expander
    /// The zone wall times are resolved in, unless ``isUTC``.
    private let zone: Zone
    /// Whether the schedule runs in UTC (its start ended in `Z`).
    private let isUTC: Bool
    /// Only instants after this one are returned.
    private let after: Int64
    /// `UNTIL` as an instant, if given so.
    private let untilInstant: Int64?
    /// The instants of `EXDATE`.
    private var exclusions: Set<Int64> = []
    /// Instants found and not yet returned, ascending.
    private var pending: [Int64]
    /// Every occurrence not yet walked fires at this instant or later.
    private var watermark: Int64 = .min
    /// The instant returned last, so that one instant is returned once.
    private var lastReturned: Int64?
    /// Whether the walk has ended; pending instants are still returned.
    private var exhausted = false
    /// The zone's offsets around the latest wall time resolved.
    private var spans: OffsetSpans?

    /// Instants are kept within what wall times of years 1 to 9999 can reach.
    private static var earliest: Int64 { CivilDateTime.daysFromCivil(year: 1, month: 1, day: 1) * 86_400 - 2 * 86_400 }

    /// The firings of `schedule` after `instantUTC` in `zone`.
    ///
    /// - Complexity: O(*a* + *e*) zone lookups for the schedule's additions and exclusions.
    init(schedule: RecurrenceRuleSet, after instantUTC: Int64, zone: Zone) {
        let after = Swift.min(Swift.max(instantUTC, Self.earliest), Expander.endOfCalendar + 2 * 86_400)
        self.zone = zone
        self.after = after
        if case .utc = schedule.start { isUTC = true } else { isUTC = false }
        if case .instant(let last)? = schedule.rule.until { untilInstant = last } else { untilInstant = nil }
        // Occurrences firing after `after` have wall times after it plus the smallest offset in
        // force around it; the one from two days before covers a gap just behind `after`.
        let utc = isUTC
        let lower = utc ? after + 1 : after + Int64(Swift.min(zone.offset(atUTC: after), zone.offset(atUTC: after - 172_800))) + 1
        // An instant is at most 14 hours (the largest offset) before its wall time.
        let wallLimit = untilInstant.map { utc ? $0 : $0 + 14 * 3_600 } ?? Expander.endOfCalendar
        expander = Expander(plan: schedule.plan, from: lower, wallLimit: wallLimit)
        pending = []
        for time in schedule.exclusions { exclusions.insert(resolve(time)) }
        for time in schedule.additions {
            let instant = resolve(time)
            if instant > after, !exclusions.contains(instant) { pending.append(instant) }
        }
        pending.sort()
    }

    /// The next instant, or nil when the schedule has ended.
    ///
    /// - Complexity: see ``RecurrenceRuleSet/firings(after:in:)``.
    package mutating func next() -> Int64? {
        while true {
            if let first = pending.first, exhausted || first <= watermark {
                pending.removeFirst()
                if first == lastReturned { continue }
                lastReturned = first
                return first
            }
            if exhausted { return nil }
            guard let wall = expander.next() else {
                exhausted = true
                continue
            }
            let (instant, floor) = resolve(wall: wall)
            watermark = Swift.max(watermark, floor)
            if let untilInstant, instant > untilInstant {
                if floor > untilInstant { exhausted = true }
                continue
            }
            guard instant > after, !exclusions.contains(instant) else { continue }
            let index = pending.firstIndex { $0 > instant } ?? pending.endIndex
            pending.insert(instant, at: index)
        }
    }

    /// The instant of an `RDATE` or `EXDATE` value.
    private mutating func resolve(_ time: RecurrenceRuleSet.Time) -> Int64 {
        switch time {
        case .utc(let civil): civil.wallSeconds
        case .local(let civil): resolve(wall: civil.wallSeconds).instant
        }
    }

    /// The instant of wall time `wall` by RFC 5545's rule, and the earliest instant any later wall
    /// time can have: the same instant for a wall time that exists, and the gap's start for one that
    /// does not (03:00 right after a one-hour gap fires before the 02:30 in it).
    private mutating func resolve(wall: Int64) -> (instant: Int64, floor: Int64) {
        if isUTC { return (wall, wall) }
        // Every instant showing `wall` lies within 26 hours of it.
        let reach: Int64 = 26 * 3_600
        if spans.map({ wall - reach < $0.from || wall + reach >= $0.secondEnd }) ?? true {
            spans = OffsetSpans(zone: zone, from: wall - reach)
        }
        if let spans, wall + reach < spans.secondEnd {
            let early = wall - Int64(spans.firstOffset)
            let late = wall - Int64(spans.secondOffset)
            let inFirst = early >= spans.from && early < spans.change
            let inSecond = late >= spans.change && late < spans.secondEnd
            if inFirst { return (early, early) }  // the only or the first of two
            if inSecond { return (late, late) }
            return (early, spans.change)  // skipped at `change`: the offset from before the gap
        }
        // Two offset changes within a day or so: the zone's own search.
        switch zone.resolve(CivilDateTime(wallSeconds: wall)) {
        case .unique(let instant):
            return (instant, instant)
        case .repeated(let first, _):
            return (first, first)
        case .skipped(let gapStart, let offsetBefore, _):
            return (wall - Int64(offsetBefore), gapStart)
        }
    }
}

/// A zone's offsets over two spans of instants: `firstOffset` from `from` up to `change`, then
/// `secondOffset` up to `secondEnd`. Wall times whose instants all fall in `from..<secondEnd`
/// resolve with two subtractions instead of a search.
private struct OffsetSpans: Sendable {
    /// The first instant covered.
    var from: Int64
    var firstOffset: Int
    var change: Int64
    var secondOffset: Int
    var secondEnd: Int64

    /// The zone's offsets from `from` to the second transition after it.
    ///
    /// - Complexity: two calls each to ``ZoneRules/offset(atUTC:)`` and ``ZoneRules/nextTransition(afterUTC:)``.
    init(zone: some ZoneRules, from: Int64) {
        self.from = from
        firstOffset = zone.offset(atUTC: from)
        // A transition that does not move forward counts as none.
        let change = zone.nextTransition(afterUTC: from).map { Swift.max($0, from + 1) } ?? .max
        self.change = change
        if change == .max {
            secondOffset = firstOffset
            secondEnd = .max
        } else {
            secondOffset = zone.offset(atUTC: change)
            secondEnd = zone.nextTransition(afterUTC: change).map { Swift.max($0, change + 1) } ?? .max
        }
    }
}
