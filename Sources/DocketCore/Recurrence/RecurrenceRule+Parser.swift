/// The reader behind ``RecurrenceRule/parse(_:)``: splits `NAME=VALUE` parts and reads each value,
/// refusing values out of range as it goes. Which parts go together is ``RecurrenceRule/check()``'s
/// concern.
enum RuleParser {
    typealias Failure = RecurrenceRuleError.Failure

    /// Reads the parts of a rule, without its `RRULE:` prefix.
    ///
    /// - Complexity: O(*n*) in the length of `body`.
    static func parse(_ body: Substring) throws(Failure) -> RecurrenceRule {
        guard !body.isEmpty else {
            throw Failure("", "it is empty; write a rule such as FREQ=DAILY;BYHOUR=9")
        }
        var rule = RecurrenceRule(frequency: .daily)
        var seen = Set<String>()
        for part in body.split(separator: ";", omittingEmptySubsequences: false) {
            guard !part.isEmpty else {
                throw Failure(body, "it has an empty part (two ';' together, or one at an end); separate parts with one ';', as in FREQ=DAILY;BYHOUR=9")
            }
            guard let equals = part.firstIndex(of: "=") else {
                throw Failure(part, "a part is NAME=VALUE, as in FREQ=DAILY")
            }
            let name = part[..<equals].uppercased()
            let value = part[part.index(after: equals)...]
            guard !value.isEmpty else { throw Failure(part, "the value is missing, as in \(name)=1") }
            guard seen.insert(name).inserted else {
                throw Failure(part, "\(name) appears twice; write each part once, with a list such as BYHOUR=9,17")
            }
            try read(name: name, value: value, part: part, into: &rule)
        }
        guard seen.contains("FREQ") else {
            throw Failure(body, "FREQ is missing; start with FREQ=DAILY (or SECONDLY, MINUTELY, HOURLY, WEEKLY, MONTHLY, YEARLY)")
        }
        return rule
    }

    /// Reads one part's value into `rule`, refusing values out of range.
    private static func read(name: String, value: Substring, part: Substring, into rule: inout RecurrenceRule) throws(Failure) {
        switch name {
        case "FREQ":
            guard let frequency = RecurrenceRule.Frequency.allCases.first(where: { $0.name == value.uppercased() }) else {
                throw Failure(part, "unknown frequency; use SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY")
            }
            rule.frequency = frequency
        case "INTERVAL":
            rule.interval = try number(value, part, in: 1...RecurrenceRule.maximumInterval, what: "INTERVAL counts periods")
        case "COUNT":
            rule.count = try number(value, part, in: 1...RecurrenceRule.maximumCount, what: "COUNT counts occurrences")
        case "UNTIL":
            rule.until = try until(value, part)
        case "BYSECOND":
            rule.bySecond = try list(value, part) { v throws(Failure) in
                if v == "60" { throw Failure(part, "leap seconds are not supported; seconds run from 0 to 59") }
                return try number(v, part, in: 0...59, what: "seconds run from 0")
            }
        case "BYMINUTE":
            rule.byMinute = try list(value, part) { v throws(Failure) in try number(v, part, in: 0...59, what: "minutes run from 0") }
        case "BYHOUR":
            rule.byHour = try list(value, part) { v throws(Failure) in try number(v, part, in: 0...23, what: "hours run from 0") }
        case "BYMONTHDAY":
            rule.byMonthDay = try list(value, part) { v throws(Failure) in
                try signed(v, part, limit: 31, what: "days of the month run from 1 to 31, or -31 to -1 counting from the month's end")
            }
        case "BYYEARDAY":
            rule.byYearDay = try list(value, part) { v throws(Failure) in
                try signed(v, part, limit: 366, what: "days of the year run from 1 to 366, or -366 to -1 counting from the year's end")
            }
        case "BYWEEKNO":
            rule.byWeekNumber = try list(value, part) { v throws(Failure) in
                try signed(v, part, limit: 53, what: "week numbers run from 1 to 53, or -53 to -1 counting from the year's end")
            }
        case "BYMONTH":
            rule.byMonth = try list(value, part) { v throws(Failure) in try number(v, part, in: 1...12, what: "months run from 1") }
        case "BYSETPOS":
            rule.bySetPosition = try list(value, part) { v throws(Failure) in
                try signed(v, part, limit: 366, what: "positions run from 1 to 366, or -366 to -1 counting from the period's end")
            }
        case "BYDAY":
            var entries: [RecurrenceRule.WeekdayEntry] = []
            for item in try items(value, part) {
                let entry = try weekdayEntry(item, part)
                if !entries.contains(entry) { entries.append(entry) }
            }
            rule.byDay = entries.sorted { ($0.weekday.rawValue, $0.ordinal ?? 0) < ($1.weekday.rawValue, $1.ordinal ?? 0) }
        case "WKST":
            guard let weekday = weekday(value) else {
                throw Failure(part, "WKST is a weekday code: MO, TU, WE, TH, FR, SA or SU")
            }
            rule.weekStart = weekday
        case "BYEASTER", "EXRULE", "RSCALE", "SKIP":
            throw Failure(part, "\(name) is not supported; Docket reads FREQ, INTERVAL, COUNT, UNTIL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS and WKST")
        default:
            throw Failure(part, "unknown part \(name); Docket reads FREQ, INTERVAL, COUNT, UNTIL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS and WKST")
        }
    }

    // MARK: Values

    /// The items of a comma-separated list, none of them empty.
    private static func items(_ value: Substring, _ part: Substring) throws(Failure) -> [Substring] {
        let items = value.split(separator: ",", omittingEmptySubsequences: false)
        if items.contains(where: \.isEmpty) {
            throw Failure(part, "the list has an empty item; separate values with one ',', as in BYHOUR=9,17")
        }
        return items
    }

    /// A comma-separated list of numbers, sorted and without repeats.
    private static func list(_ value: Substring, _ part: Substring, _ read: (Substring) throws(Failure) -> Int) throws(Failure) -> [Int] {
        var values = Set<Int>()
        for item in try items(value, part) { values.insert(try read(item)) }
        return values.sorted()
    }

    /// Unsigned decimal digits, checked against `range` while read so that no length of input can
    /// overflow.
    static func number(_ text: Substring, _ part: Substring, in range: ClosedRange<Int>, what: String) throws(Failure) -> Int {
        var value = 0
        guard !text.isEmpty else { throw Failure(part, "a number is missing; \(what)") }
        for character in text.utf8 {
            guard character >= 48, character <= 57 else {
                throw Failure(part, "'\(text)' is not a whole number; \(what) to \(range.upperBound)")
            }
            value = value * 10 + Int(character - 48)
            if value > range.upperBound {
                throw Failure(part, "\(text) is out of range; \(what) to \(range.upperBound)")
            }
        }
        guard range.contains(value) else { throw Failure(part, "\(text) is out of range; \(what) to \(range.upperBound)") }
        return value
    }

    /// A number with an optional sign, nonzero, at most `limit` either side of zero.
    private static func signed(_ text: Substring, _ part: Substring, limit: Int, what: String) throws(Failure) -> Int {
        var digits = text
        var sign = 1
        if digits.first == "-" || digits.first == "+" {
            sign = digits.first == "-" ? -1 : 1
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw Failure(part, "'\(text)' is not a whole number; \(what)")
        }
        var value = 0
        for character in digits.utf8 {
            value = value * 10 + Int(character - 48)
            if value > limit { throw Failure(part, "\(text) is out of range; \(what)") }
        }
        guard value != 0 else { throw Failure(part, "0 is not allowed; \(what)") }
        return sign * value
    }

    /// The weekday of a two-letter code such as `MO`, in either case.
    private static func weekday(_ code: Substring) -> RecurrenceRule.Weekday? {
        let upper = code.uppercased()
        return RecurrenceRule.Weekday.allCases.first { $0.code == upper }
    }

    /// One `BYDAY` item: a weekday code after an optional signed ordinal.
    private static func weekdayEntry(_ item: Substring, _ part: Substring) throws(Failure) -> RecurrenceRule.WeekdayEntry {
        guard item.count >= 2, let weekday = weekday(item.suffix(2)) else {
            throw Failure(part, "'\(item)' is not a weekday; write MO, TU, WE, TH, FR, SA or SU, optionally after an ordinal, as in 1MO or -1FR")
        }
        let prefix = item.dropLast(2)
        guard !prefix.isEmpty else { return .init(weekday) }
        let ordinal = try signed(prefix, part, limit: 53, what: "an ordinal runs from 1 to 53, or -53 to -1 counting from the end, as in 1MO or -1FR")
        return .init(weekday, ordinal: ordinal)
    }

    /// An `UNTIL` value: an instant ending in `Z`, or a date.
    private static func until(_ value: Substring, _ part: Substring) throws(Failure) -> RecurrenceRule.Until {
        let text = value.uppercased()
        if text.utf8.count == 8 {
            let date = try DateTimeText.civil(Substring(text + "T000000"), part)
            return .localDate(year: date.year, month: date.month, day: date.day)
        }
        guard text.hasSuffix("Z") else {
            throw Failure(part, "UNTIL is an instant in UTC, as in 20261231T235959Z, or a date, as in 20261231 (that whole day, local time)")
        }
        let civil = try DateTimeText.civil(Substring(text.dropLast()), part)
        return .instant(civil.secondsSince1970(offset: 0))
    }
}
