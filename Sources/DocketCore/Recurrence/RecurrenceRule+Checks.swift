/// Which parts may go together, as RFC 5545 section 3.3.10 says, and which combinations can never
/// match a day.
extension RecurrenceRule {
    /// Checks the rule as a whole: value ranges (for rules built from values), parts that RFC 5545
    /// forbids together, and day parts that no month or year can satisfy.
    ///
    /// - Throws: ``RecurrenceRuleError/Failure`` quoting the part at fault.
    /// - Complexity: O(*p*) in the number of values in the parts.
    func check() throws(RecurrenceRuleError.Failure) {
        typealias Failure = RecurrenceRuleError.Failure
        let text = RuleText(self)
        try checkRanges(text)
        if count != nil, until != nil {
            throw Failure("\(text.count);\(text.until)", "COUNT and UNTIL cannot be used together; keep one of them")
        }
        if byDay.contains(where: { $0.ordinal != nil }) {
            guard frequency == .monthly || frequency == .yearly else {
                throw Failure(text.byDay, "an ordinal weekday (such as 1MO) needs FREQ=MONTHLY or FREQ=YEARLY; with FREQ=\(frequency.name) write plain weekdays, as in BYDAY=MO,FR")
            }
            guard byWeekNumber.isEmpty else {
                throw Failure(text.byDay, "an ordinal weekday (such as 1MO) cannot be used with BYWEEKNO; write plain weekdays, as in BYDAY=MO")
            }
            if frequency == .monthly || !byMonth.isEmpty, let entry = byDay.first(where: { abs($0.ordinal ?? 0) > 5 }) {
                throw Failure(text.byDay, "\(entry) can never match: a month has at most 5 of each weekday; use an ordinal from -5 to 5")
            }
        }
        if !byMonthDay.isEmpty, frequency == .weekly {
            throw Failure(text.byMonthDay, "BYMONTHDAY cannot be used with FREQ=WEEKLY; use FREQ=MONTHLY, or BYDAY for weekdays")
        }
        if !byYearDay.isEmpty, [.daily, .weekly, .monthly].contains(frequency) {
            throw Failure(text.byYearDay, "BYYEARDAY cannot be used with FREQ=\(frequency.name); use FREQ=YEARLY")
        }
        if !byWeekNumber.isEmpty, frequency != .yearly {
            throw Failure(text.byWeekNumber, "BYWEEKNO needs FREQ=YEARLY")
        }
        if !bySetPosition.isEmpty,
            bySecond.isEmpty, byMinute.isEmpty, byHour.isEmpty, byDay.isEmpty, byMonthDay.isEmpty, byYearDay.isEmpty,
            byWeekNumber.isEmpty, byMonth.isEmpty
        {
            throw Failure(text.bySetPosition, "BYSETPOS picks among the times another BY part gives; add one, as in BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")
        }
        if !byMonthDay.isEmpty, !byMonth.isEmpty {
            // 29 February exists in leap years, so February allows 29 days here.
            let fits = byMonth.contains { month in
                let length = month == 2 ? 29 : CivilDateTime.daysInMonth(year: 2001, month: month)
                return byMonthDay.contains { abs($0) <= length }
            }
            guard fits else {
                throw Failure("\(text.byMonth);\(text.byMonthDay)", "no month in BYMONTH has any day in BYMONTHDAY, so the rule never fires")
            }
        }
    }

    /// Checks that every value is in its part's range, as the parser does for text.
    private func checkRanges(_ text: RuleText) throws(RecurrenceRuleError.Failure) {
        typealias Failure = RecurrenceRuleError.Failure
        func within(_ values: [Int], _ range: ClosedRange<Int>, signed: Bool) -> Bool {
            values.allSatisfy { range.contains(signed ? abs($0) : $0) && (!signed || $0 != 0) }
        }
        guard (1...Self.maximumInterval).contains(interval) else {
            throw Failure("INTERVAL=\(interval)", "INTERVAL counts periods, from 1 to \(Self.maximumInterval)")
        }
        if let count, !(1...Self.maximumCount).contains(count) {
            throw Failure(text.count, "COUNT counts occurrences, from 1 to \(Self.maximumCount)")
        }
        guard within(bySecond, 0...59, signed: false) else { throw Failure(text.bySecond, "seconds run from 0 to 59") }
        guard within(byMinute, 0...59, signed: false) else { throw Failure(text.byMinute, "minutes run from 0 to 59") }
        guard within(byHour, 0...23, signed: false) else { throw Failure(text.byHour, "hours run from 0 to 23") }
        guard within(byMonth, 1...12, signed: false) else { throw Failure(text.byMonth, "months run from 1 to 12") }
        guard within(byMonthDay, 1...31, signed: true) else { throw Failure(text.byMonthDay, "days of the month run from 1 to 31, or -31 to -1") }
        guard within(byYearDay, 1...366, signed: true) else { throw Failure(text.byYearDay, "days of the year run from 1 to 366, or -366 to -1") }
        guard within(byWeekNumber, 1...53, signed: true) else { throw Failure(text.byWeekNumber, "week numbers run from 1 to 53, or -53 to -1") }
        guard within(bySetPosition, 1...366, signed: true) else { throw Failure(text.bySetPosition, "positions run from 1 to 366, or -366 to -1") }
        guard within(byDay.compactMap(\.ordinal), 1...53, signed: true) else {
            throw Failure(text.byDay, "an ordinal runs from 1 to 53, or -53 to -1")
        }
    }
}

/// Each part of a rule as written, for quoting in errors.
private struct RuleText {
    /// `COUNT=…`, `UNTIL=…` and each `BYxxx=…` part.
    var count: String
    var until: String
    var bySecond: String
    var byMinute: String
    var byHour: String
    var byDay: String
    var byMonthDay: String
    var byYearDay: String
    var byWeekNumber: String
    var byMonth: String
    var bySetPosition: String

    /// The parts of `rule`, rebuilt from its values.
    init(_ rule: RecurrenceRule) {
        func list(_ name: String, _ values: [Int]) -> String { "\(name)=" + values.map(String.init).joined(separator: ",") }
        let parts = rule.description.split(separator: ";").map(String.init)
        count = list("COUNT", rule.count.map { [$0] } ?? [])
        until = parts.first { $0.hasPrefix("UNTIL=") } ?? "UNTIL"
        bySecond = list("BYSECOND", rule.bySecond)
        byMinute = list("BYMINUTE", rule.byMinute)
        byHour = list("BYHOUR", rule.byHour)
        byDay = "BYDAY=" + rule.byDay.map(\.description).joined(separator: ",")
        byMonthDay = list("BYMONTHDAY", rule.byMonthDay)
        byYearDay = list("BYYEARDAY", rule.byYearDay)
        byWeekNumber = list("BYWEEKNO", rule.byWeekNumber)
        byMonth = list("BYMONTH", rule.byMonth)
        bySetPosition = list("BYSETPOS", rule.bySetPosition)
    }
}
