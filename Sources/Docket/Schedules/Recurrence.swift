import DocketCore
import Foundation

/// When a schedule fires: a cron expression or an RFC 5545 recurrence rule, read in an IANA time zone.
///
/// ```swift
/// .cron("30 2 * * *", timeZone: "Europe/London")     // 02:30 London time, every day
/// .cron("0 9 * * MON#1")                               // 09:00 UTC on the first Monday of each month
/// .every(.seconds(90))                                  // every 90 seconds, on a fixed grid
/// .rrule("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0", timeZone: "America/New_York")
/// ```
///
/// Rules are checked when a schedule is declared or created: a malformed rule, one that can never
/// fire (`0 0 30 2 *`), and a zone the system does not know are refused with
/// ``DocketError/invalidInput(_:)`` (field ``DocketError/InvalidInput/Field/recurrence`` or
/// ``DocketError/InvalidInput/Field/timeZone``), quoting the part at fault. See <doc:Schedules> for
/// the syntax, daylight saving time and how each firing is identified.
public struct Recurrence: Sendable, Hashable, CustomStringConvertible {
    package let kind: RecurrenceSpec.Kind
    /// The rule as given.
    public let text: String
    /// The zone as given; nil for an RRULE that takes its zone from `DTSTART;TZID=…` (or UTC).
    public let timeZone: String?

    /// A cron rule: five fields (minute hour day-of-month month day-of-week), a macro such as
    /// `@daily`, or `@every <delay>`, in `timeZone` (UTC unless given).
    public static func cron(_ expression: String, timeZone: String = "UTC") -> Recurrence {
        Recurrence(kind: .cron, text: expression, timeZone: timeZone)
    }

    /// An RFC 5545 rule: a bare rule (`FREQ=DAILY;BYHOUR=9`), or `DTSTART`, `RRULE`, `RDATE` and
    /// `EXDATE` lines. Without `DTSTART` the rule starts when the schedule is created. The zone is
    /// `timeZone`, else the one `DTSTART;TZID=…` names, else UTC; naming two different ones is refused.
    public static func rrule(_ rule: String, timeZone: String? = nil) -> Recurrence {
        Recurrence(kind: .rrule, text: rule, timeZone: timeZone)
    }

    /// Every `interval` (whole seconds, at least one) in real time, on a grid anchored when the
    /// schedule is created, so that firings do not drift across restarts: cron's `@every`.
    public static func every(_ interval: Duration) -> Recurrence {
        let seconds = interval.components.seconds + (interval.components.attoseconds > 0 ? 1 : 0)
        return .cron("@every \(seconds)s")
    }

    /// `cron "30 2 * * *" in Europe/London`.
    public var description: String {
        "\(kind == .cron ? "cron" : "rrule") \(text.debugDescription) in \(timeZone ?? "UTC")"
    }

    /// The next `count` firing instants after `date`, for previews: the rule anchored at `date` (for
    /// `@every`, and an RRULE without `DTSTART`).
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` for a rule or zone that a schedule would refuse.
    public func nextFirings(after date: Date, count: Int) throws(DocketError) -> [Date] {
        let now = Timestamp(date)
        let compiled = try CompiledRecurrence(spec: spec(), anchor: now)
        return compiled.firings(after: now, count: count).map(\.date)
    }

    /// The journal's form: the zone resolved.
    func spec() throws(DocketError) -> RecurrenceSpec {
        if kind == .rrule, timeZone == nil {
            let parsed = try CompiledRecurrence.parseRule(text)
            return RecurrenceSpec(kind: kind, text: text, timeZone: parsed.timeZoneIdentifier ?? "UTC")
        }
        return RecurrenceSpec(kind: kind, text: text, timeZone: timeZone ?? "UTC")
    }
}

extension Recurrence {
    /// The recurrence a journal's spec describes.
    init(_ spec: RecurrenceSpec) {
        self.init(kind: spec.kind, text: spec.text, timeZone: spec.timeZone)
    }
}
