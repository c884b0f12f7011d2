/// A complete recurring schedule: a start (`DTSTART`), a rule (`RRULE`), extra times (`RDATE`) and
/// excluded times (`EXDATE`), as RFC 5545 combines them and python-dateutil's `rruleset` computes
/// them.
///
/// Occurrences are computed in wall-clock time, from the start's fields, and only then become
/// instants in the zone given to ``nextFiring(after:in:)``, as RFC 5545 section 3.3.10 says:
///
/// - a wall time that does not exist (in a spring-forward gap) is taken with the offset from before
///   the gap: 02:30 in New York on 2026-03-08 fires at 03:30 EDT, 07:30Z;
/// - a wall time that occurs twice (in a fall-back overlap) fires at its first occurrence.
///
/// A firing is identified by its instant: two occurrences on one instant (02:30 and 03:30 on a
/// spring-forward day) fire once. A start given in UTC (`DTSTART:20260101T090000Z`) makes the whole
/// schedule run in UTC, whatever zone is passed.
///
/// The start is the first occurrence only when the rule matches it (dateutil's behaviour; RFC 5545
/// would count it regardless). `COUNT` counts occurrences from the start, excluded ones included;
/// `RDATE` times are added regardless of `COUNT` and `UNTIL`, and `EXDATE` removes any occurrence or
/// `RDATE` on the same instant.
package struct RecurrenceRuleSet: Hashable, Sendable {
    /// A date and time as RFC 5545 writes one: wall-clock time in the schedule's zone, or UTC.
    package enum Time: Hashable, Sendable {
        /// Wall-clock time in the schedule's zone: `20260101T090000`, alone or after `TZID=`.
        case local(CivilDateTime)
        /// Coordinated universal time: `20260101T090000Z`.
        case utc(CivilDateTime)

        /// The civil fields, whatever the zone.
        ///
        /// - Complexity: O(1).
        package var civil: CivilDateTime {
            switch self {
            case .local(let civil), .utc(let civil): civil
            }
        }
    }

    /// The first time the rule may match, and the source of every field the rule leaves open.
    package let start: Time
    /// The zone named by `DTSTART;TZID=…`, for the caller to resolve to ``ZoneRules``; nil when the
    /// text names none.
    package let timeZoneIdentifier: String?
    /// The recurrence rule.
    package let rule: RecurrenceRule
    /// Times that fire in addition to the rule's occurrences: `RDATE`.
    package let additions: [Time]
    /// Times that do not fire even if the rule or an addition says so: `EXDATE`.
    package let exclusions: [Time]
    /// What the rule's expansion needs, worked out once.
    let plan: ExpansionPlan

    /// A schedule from its parts, checked.
    ///
    /// - Throws: ``RecurrenceRuleError`` when the rule is inconsistent (see ``RecurrenceRule``), a
    ///   time does not exist, or the rule never fires from `start` (whatever the additions).
    /// - Complexity: O(*p*) in the size of the rule's parts, plus one search for the first
    ///   occurrence (see ``nextFiring(after:in:)``).
    package init(
        start: Time, rule: RecurrenceRule, additions: [Time] = [], exclusions: [Time] = [],
        timeZoneIdentifier: String? = nil
    ) throws(RecurrenceRuleError) {
        do throws(RecurrenceRuleError.Failure) {
            try Self.check(start, "DTSTART")
            for time in additions { try Self.check(time, "RDATE") }
            for time in exclusions { try Self.check(time, "EXDATE") }
            try rule.check()
        } catch {
            throw RecurrenceRuleError(text: "", failure: error)
        }
        self.start = start
        self.rule = rule
        self.additions = additions
        self.exclusions = exclusions
        self.timeZoneIdentifier = timeZoneIdentifier
        self.plan = ExpansionPlan(rule: rule, start: start.civil)
        // A rule that never fires is a mistake even when RDATE times would fire.
        var expander = Expander(plan: plan, from: nil)
        guard let first = expander.next() else {
            throw RecurrenceRuleError(text: "", part: "RRULE:\(rule)", reason: "the rule never matches a time from DTSTART \(start.civil.basicFormat) on, so it would never fire; check the BY parts against INTERVAL and DTSTART")
        }
        if let until = rule.until, Self.isAfter(first, until, startIsUTC: { if case .utc = start { true } else { false } }()) {
            throw RecurrenceRuleError(text: "", part: "RRULE:\(rule)", reason: "the first occurrence, \(CivilDateTime(wallSeconds: first).basicFormat), is after UNTIL, so the rule would never fire; move UNTIL later")
        }
    }

    /// Checks that a time exists and is within years 1 to 9999.
    private static func check(_ time: Time, _ name: String) throws(RecurrenceRuleError.Failure) {
        let civil = time.civil
        guard civil.isValid, DateTimeText.years.contains(civil.year) else {
            throw .init("\(name):\(civil.basicFormat)", "this date and time does not exist; write a real one from year 0001 to 9999")
        }
    }

    /// Whether an occurrence at wall time `wall` is certainly after `until`, in any zone: offsets
    /// run from -12 to +14 hours, so the instant lies within that much of the wall time.
    private static func isAfter(_ wall: Int64, _ until: RecurrenceRule.Until, startIsUTC: Bool) -> Bool {
        switch until {
        case .instant(let last):
            return wall - (startIsUTC ? 0 : 14 * 3_600) > last
        case .localDate(let year, let month, let day):
            return CivilDateTime.floorDivide(wall, 86_400) > CivilDateTime.daysFromCivil(year: year, month: month, day: day)
        }
    }

    /// Whether two schedules have the same parts.
    ///
    /// - Complexity: O(*n*) in the size of the parts.
    package static func == (lhs: RecurrenceRuleSet, rhs: RecurrenceRuleSet) -> Bool {
        lhs.start == rhs.start && lhs.timeZoneIdentifier == rhs.timeZoneIdentifier && lhs.rule == rhs.rule
            && lhs.additions == rhs.additions && lhs.exclusions == rhs.exclusions
    }

    /// Hashes the parts that ``==(_:_:)`` compares.
    ///
    /// - Complexity: O(*n*) in the size of the parts.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(start)
        hasher.combine(timeZoneIdentifier)
        hasher.combine(rule)
        hasher.combine(additions)
        hasher.combine(exclusions)
    }
}
