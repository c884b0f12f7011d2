/// The parts of an RFC 5545 `RRULE`: how often a schedule repeats and which wall-clock times within
/// each period it picks.
///
/// A rule alone names no instants: it needs a start (`DTSTART`) and a zone, which
/// ``RecurrenceRuleSet`` adds together with extra (`RDATE`) and excluded (`EXDATE`) times. The rule
/// is read with ``parse(_:)`` from text such as `FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1`
/// (the last weekday of each month) or `RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH`.
///
/// ## Parts
///
/// | Part | Values | Allowed with |
/// |---|---|---|
/// | `FREQ` | `SECONDLY` … `YEARLY` (required) | |
/// | `INTERVAL` | 1 to 1 000 000 periods | |
/// | `COUNT` | 1 to 1 000 000 occurrences | not with `UNTIL` |
/// | `UNTIL` | `20261231T235959Z` (an instant) or `20261231` (that whole local day) | not with `COUNT` |
/// | `BYSECOND`, `BYMINUTE` | 0-59 | |
/// | `BYHOUR` | 0-23 | |
/// | `BYDAY` | `MO` … `SU`, with an ordinal such as `1MO` or `-1FR` | ordinals only with `MONTHLY`, or `YEARLY` without `BYWEEKNO` |
/// | `BYMONTHDAY` | 1-31, -31 to -1 (from the month's end) | not `WEEKLY` |
/// | `BYYEARDAY` | 1-366, -366 to -1 | not `DAILY`, `WEEKLY`, `MONTHLY` |
/// | `BYWEEKNO` | 1-53, -53 to -1 | `YEARLY` only |
/// | `BYMONTH` | 1-12 | |
/// | `BYSETPOS` | 1-366, -366 to -1 | with another `BYxxx` part |
/// | `WKST` | `MO` (the default) … `SU` | |
///
/// Lists are comma-separated; repeated values count once. Part names and values are read without
/// regard to case. Leap seconds (`BYSECOND=60`) are refused: civil time here has none.
package struct RecurrenceRule: Hashable, Sendable {
    /// The period a rule repeats over, from the finest to the coarsest.
    package enum Frequency: Int, Hashable, Sendable, Comparable, CaseIterable {
        case secondly, minutely, hourly, daily, weekly, monthly, yearly

        /// The name used in `FREQ=`, such as `MONTHLY`.
        ///
        /// - Complexity: O(1).
        package var name: String {
            switch self {
            case .secondly: "SECONDLY"
            case .minutely: "MINUTELY"
            case .hourly: "HOURLY"
            case .daily: "DAILY"
            case .weekly: "WEEKLY"
            case .monthly: "MONTHLY"
            case .yearly: "YEARLY"
            }
        }

        /// Orders frequencies from ``secondly`` (smallest) to ``yearly``.
        ///
        /// - Complexity: O(1).
        package static func < (lhs: Frequency, rhs: Frequency) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A day of the week, numbered as ``CivilDateTime/weekday`` numbers them (0 is Sunday).
    package enum Weekday: Int, Hashable, Sendable, CaseIterable {
        case sunday, monday, tuesday, wednesday, thursday, friday, saturday

        /// The two-letter code of `BYDAY` and `WKST`, such as `MO`.
        ///
        /// - Complexity: O(1).
        package var code: String {
            ["SU", "MO", "TU", "WE", "TH", "FR", "SA"][rawValue]
        }
    }

    /// One `BYDAY` entry: a weekday, and optionally which one of the month or year (`1MO` is the
    /// first Monday, `-1FR` the last Friday).
    package struct WeekdayEntry: Hashable, Sendable, CustomStringConvertible {
        /// The day of the week.
        package var weekday: Weekday
        /// Which occurrence within the month or year, counted from the end when negative; nil for
        /// every occurrence.
        package var ordinal: Int?

        /// An entry for `weekday`, every one of them or only the `ordinal`-th.
        ///
        /// - Complexity: O(1).
        package init(_ weekday: Weekday, ordinal: Int? = nil) {
            self.weekday = weekday
            self.ordinal = ordinal
        }

        /// The entry as written in `BYDAY`, such as `-1FR`.
        ///
        /// - Complexity: O(1).
        package var description: String {
            (ordinal.map(String.init) ?? "") + weekday.code
        }
    }

    /// Where a rule stops.
    package enum Until: Hashable, Sendable {
        /// The last instant (seconds since 1970, UTC) an occurrence may fall on: `UNTIL=…Z`.
        case instant(Int64)
        /// The last local day an occurrence may fall on, all of it: `UNTIL=20261231`.
        case localDate(year: Int, month: Int, day: Int)
    }

    /// How often the rule repeats: `FREQ`.
    package var frequency: Frequency
    /// Every how many periods: `INTERVAL`, 1 by default.
    package var interval: Int
    /// How many occurrences in all, counted from the start: `COUNT`.
    package var count: Int?
    /// The last time an occurrence may fall on: `UNTIL`.
    package var until: Until?
    /// `BYSECOND`, sorted, without repeats; empty when absent.
    package var bySecond: [Int]
    /// `BYMINUTE`, sorted, without repeats; empty when absent.
    package var byMinute: [Int]
    /// `BYHOUR`, sorted, without repeats; empty when absent.
    package var byHour: [Int]
    /// `BYDAY`, sorted by weekday (Sunday first) and ordinal, without repeats; empty when absent.
    package var byDay: [WeekdayEntry]
    /// `BYMONTHDAY`, sorted, without repeats; empty when absent.
    package var byMonthDay: [Int]
    /// `BYYEARDAY`, sorted, without repeats; empty when absent.
    package var byYearDay: [Int]
    /// `BYWEEKNO`, sorted, without repeats; empty when absent.
    package var byWeekNumber: [Int]
    /// `BYMONTH`, sorted, without repeats; empty when absent.
    package var byMonth: [Int]
    /// `BYSETPOS`, sorted, without repeats; empty when absent.
    package var bySetPosition: [Int]
    /// The first day of the week, for `WEEKLY` periods and `BYWEEKNO`: `WKST`, Monday by default.
    package var weekStart: Weekday

    /// The largest `INTERVAL` accepted: beyond it a rule would leave the calendar's range (year 9999)
    /// after one step, or is a typo.
    package static let maximumInterval = 1_000_000

    /// The largest `COUNT` accepted. Occurrences are counted from the start, so this bounds the work
    /// of finding the next one (see ``RecurrenceRuleSet/nextFiring(after:in:)``).
    package static let maximumCount = 1_000_000

    /// A rule from its parts, unchecked; ``parse(_:)`` checks text, and ``RecurrenceRuleSet`` checks
    /// any rule it is given.
    ///
    /// - Complexity: O(1).
    package init(
        frequency: Frequency, interval: Int = 1, count: Int? = nil, until: Until? = nil,
        bySecond: [Int] = [], byMinute: [Int] = [], byHour: [Int] = [], byDay: [WeekdayEntry] = [],
        byMonthDay: [Int] = [], byYearDay: [Int] = [], byWeekNumber: [Int] = [], byMonth: [Int] = [],
        bySetPosition: [Int] = [], weekStart: Weekday = .monday
    ) {
        self.frequency = frequency
        self.interval = interval
        self.count = count
        self.until = until
        self.bySecond = bySecond
        self.byMinute = byMinute
        self.byHour = byHour
        self.byDay = byDay
        self.byMonthDay = byMonthDay
        self.byYearDay = byYearDay
        self.byWeekNumber = byWeekNumber
        self.byMonth = byMonth
        self.bySetPosition = bySetPosition
        self.weekStart = weekStart
    }

    /// Reads a rule written as `FREQ=…;…`, optionally after `RRULE:`.
    ///
    /// - Throws: ``RecurrenceRuleError`` quoting the part that is wrong and saying what to write.
    /// - Complexity: O(*n*) in the length of `text`.
    package static func parse(_ text: String) throws(RecurrenceRuleError) -> RecurrenceRule {
        var body = Substring(text)
        while let first = body.first, first.isWhitespace { body.removeFirst() }
        while let last = body.last, last.isWhitespace { body.removeLast() }
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst(6) }
        do throws(RecurrenceRuleError.Failure) {
            let rule = try RuleParser.parse(body)
            try rule.check()
            return rule
        } catch {
            throw RecurrenceRuleError(text: text, failure: error)
        }
    }

    /// Whether every period yields exactly one occurrence: no `BYxxx` part, and a frequency whose
    /// periods always contain the start's day and time (a month may lack day 31, a year 29 February).
    /// Such a rule's *n*-th occurrence lies in its *n*-th period, so a `COUNT` needs no counting.
    var yieldsOncePerPeriod: Bool {
        frequency <= .weekly && bySecond.isEmpty && byMinute.isEmpty && byHour.isEmpty && byDay.isEmpty
            && byMonthDay.isEmpty && byYearDay.isEmpty && byWeekNumber.isEmpty && byMonth.isEmpty
            && bySetPosition.isEmpty
    }
}

extension RecurrenceRule: CustomStringConvertible {
    /// The rule as RFC 5545 text, parts in a fixed order, such as `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`;
    /// ``parse(_:)`` reads it back to an equal rule.
    ///
    /// - Complexity: O(*p*) in the number of values in the parts.
    package var description: String {
        func list(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }
        var parts = ["FREQ=\(frequency.name)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if let count { parts.append("COUNT=\(count)") }
        switch until {
        case .instant(let seconds)?:
            parts.append("UNTIL=\(CivilDateTime(secondsSince1970: seconds, offset: 0).basicFormat)Z")
        case .localDate(let year, let month, let day)?:
            parts.append("UNTIL=\(CivilDateTime(year: year, month: month, day: day).basicFormat.prefix(8))")
        case nil:
            break
        }
        if !bySecond.isEmpty { parts.append("BYSECOND=\(list(bySecond))") }
        if !byMinute.isEmpty { parts.append("BYMINUTE=\(list(byMinute))") }
        if !byHour.isEmpty { parts.append("BYHOUR=\(list(byHour))") }
        if !byDay.isEmpty { parts.append("BYDAY=\(byDay.map(\.description).joined(separator: ","))") }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=\(list(byMonthDay))") }
        if !byYearDay.isEmpty { parts.append("BYYEARDAY=\(list(byYearDay))") }
        if !byWeekNumber.isEmpty { parts.append("BYWEEKNO=\(list(byWeekNumber))") }
        if !byMonth.isEmpty { parts.append("BYMONTH=\(list(byMonth))") }
        if !bySetPosition.isEmpty { parts.append("BYSETPOS=\(list(bySetPosition))") }
        if weekStart != .monday { parts.append("WKST=\(weekStart.code)") }
        return parts.joined(separator: ";")
    }
}

/// Why a recurrence rule or rule set was refused: the part at fault, quoted, and what to write
/// instead.
package struct RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given, untrimmed; empty for a rule set built from values.
    package var text: String
    /// The part at fault, as written, such as `BYHOUR=24` or `DTSTART:20260230T090000`; empty when
    /// the fault is the whole (a missing `FREQ`, a rule that never fires).
    package var part: String
    /// What was wrong, and what would be accepted instead.
    package var reason: String

    /// Describes a refused rule.
    ///
    /// - Complexity: O(1).
    package init(text: String, part: String, reason: String) {
        self.text = text
        self.part = part
        self.reason = reason
    }

    /// `invalid recurrence rule: "BYHOUR=24": hours run from 0 to 23, …`, ready for a log line or an
    /// HTTP 400 body.
    ///
    /// - Complexity: O(*n*) in the lengths of the part and the reason.
    package var description: String {
        part.isEmpty ? "invalid recurrence rule: \(reason)" : "invalid recurrence rule: \"\(part)\": \(reason)"
    }

    /// A failure inside the parsers, before the text is attached.
    struct Failure: Error {
        var part: String
        var reason: String

        init(_ part: some StringProtocol, _ reason: String) {
            self.part = String(part)
            self.reason = reason
        }
    }

    /// Attaches the text to a failure.
    init(text: String, failure: Failure) {
        self.init(text: text, part: failure.part, reason: failure.reason)
    }
}
