/// Why a cron expression was refused: which field, as written, and what that field accepts.
package struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The five fields of a cron expression, in order.
    package enum Field: String, Sendable, Hashable, CaseIterable {
        /// The first field: 0-59.
        case minute
        /// The second field: 0-23.
        case hour
        /// The third field: 1-31, `L`, `LW`.
        case dayOfMonth = "day-of-month"
        /// The fourth field: 1-12 or `JAN`-`DEC`.
        case month
        /// The fifth field: 0-7 or `SUN`-`SAT`, `5L`, `MON#1`.
        case dayOfWeek = "day-of-week"
    }

    /// The expression as given, untrimmed.
    package var text: String
    /// The field at fault, when one is; nil for the expression as a whole (its field count, a macro).
    package var field: Field?
    /// That field as written.
    package var fieldText: String?
    /// What was wrong, and what would be accepted instead.
    package var reason: String

    /// Describes a refused expression.
    package init(text: String, field: Field? = nil, fieldText: String? = nil, reason: String) {
        self.text = text
        self.field = field
        self.fieldText = fieldText
        self.reason = reason
    }

    /// `invalid cron expression "0 0 30 2 *": day-of-month "30": …`, ready for a log line or an
    /// HTTP 400 body.
    package var description: String {
        guard let field, let fieldText else { return "invalid cron expression \"\(text)\": \(reason)" }
        return "invalid cron expression \"\(text)\": \(field.rawValue) \"\(fieldText)\": \(reason)"
    }
}

/// The values one field accepts, as the parser collects them.
struct CronFieldValues {
    /// Plain values: bit *v* for value *v* (days of the week already folded to 0-6).
    var bits: UInt64 = 0
    /// `L` in the day-of-month field.
    var last = false
    /// `LW` in the day-of-month field.
    var lastWeekday = false
    /// `5L` terms: bit *w* for the last weekday *w*.
    var lastWeekdays: UInt8 = 0
    /// `MON#1` terms: bit `(n - 1) * 7 + w`.
    var nthWeekdays: UInt64 = 0
}

/// Reads one field of a cron expression; never traps, whatever the text.
struct CronFieldParser {
    /// What was wrong with the field, and what it accepts.
    struct Failure: Error {
        var reason: String
    }

    /// The field being read, which decides its range and names.
    let field: CronParseError.Field

    /// The values the field allows, 7 included for Sunday in the day-of-week field.
    private var bounds: ClosedRange<Int> {
        switch field {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The names the field allows, in the order of their values.
    private var names: [String] {
        switch field {
        case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default: []
        }
    }

    /// What the field accepts, for messages.
    var allowed: String {
        switch field {
        case .minute: "minutes are 0-59"
        case .hour: "hours are 0-23"
        case .dayOfMonth: "days of the month are 1-31, L (the last day) or LW (the last weekday)"
        case .month: "months are 1-12 or JAN-DEC"
        case .dayOfWeek: "days of the week are 0-7 or SUN-SAT (0 and 7 are Sunday), 5L or FRIL (the last Friday of the month), MON#1 or 1#1 (the first Monday)"
        }
    }

    /// The forms every field accepts, for messages.
    private static let forms = "write *, a value, a list (1,15), a range (1-5) or a step (*/15, 1-30/5, 5/10)"

    /// The values of `text`, a field already split from the expression.
    ///
    /// - Complexity: O(*n*) in the length of `text`.
    func parse(_ text: Substring) throws(Failure) -> CronFieldValues {
        var values = CronFieldValues()
        let upper = String(text).uppercased()
        if upper == "?" {
            guard field == .dayOfMonth || field == .dayOfWeek else {
                throw Failure(reason: "? (any) is allowed only in the day-of-month and day-of-week fields; write *")
            }
            addRange(bounds.lowerBound, bounds.upperBound, step: 1, to: &values)
            return values
        }
        for term in upper.split(separator: ",", omittingEmptySubsequences: false) {
            guard !term.isEmpty else {
                throw Failure(reason: "a list has an empty item; separate values with single commas, as in 1,15")
            }
            try parseTerm(term, into: &values)
        }
        return values
    }

    /// Adds one item of a list to `values`.
    private func parseTerm(_ term: Substring, into values: inout CronFieldValues) throws(Failure) {
        if field == .dayOfMonth, term == "L" { values.last = true; return }
        if field == .dayOfMonth, term == "LW" { values.lastWeekday = true; return }
        if field == .dayOfWeek, let hash = term.firstIndex(of: "#") {
            let weekday = try value(term[..<hash]) % 7
            let nthText = term[term.index(after: hash)...]
            guard let nth = Self.number(nthText), (1...5).contains(nth) else {
                throw Failure(reason: "'\(nthText)' after # must be 1-5, as in MON#1 for the first Monday of the month")
            }
            values.nthWeekdays |= 1 << UInt64((nth - 1) * 7 + weekday)
            return
        }
        if field == .dayOfWeek, term.count > 1, term.last == "L", !term.contains("/"), !term.contains("-") {
            values.lastWeekdays |= 1 << UInt8(try value(term.dropLast()) % 7)
            return
        }
        if field == .dayOfWeek, term == "L" {
            throw Failure(reason: "L alone belongs in the day-of-month field; here write 5L or FRIL for the last Friday of the month")
        }
        let isDayField = field == .dayOfMonth || field == .dayOfWeek
        if term == "?" || (isDayField && (term.contains("L") || term.contains("#"))) {
            let hint = field == .dayOfWeek ? "5L, FRIL or MON#1 stand alone, without ranges or steps"
                : field == .dayOfMonth ? "L and LW stand alone, without ranges or steps" : allowed
            throw Failure(reason: "'\(term)' is not allowed here; \(hint)")
        }
        var base = term
        var step = 1
        if let slash = term.firstIndex(of: "/") {
            base = term[..<slash]
            let stepText = term[term.index(after: slash)...]
            guard let parsed = Self.number(stepText) else {
                throw Failure(reason: "the step '\(stepText)' is not a number; write a whole number after /, as in */15")
            }
            guard parsed > 0 else { throw Failure(reason: "a step of 0 never advances; write a step of 1 or more, as in */15") }
            step = parsed
        }
        if base == "*" {
            addRange(bounds.lowerBound, bounds.upperBound, step: step, to: &values)
        } else if let dash = base.firstIndex(of: "-") {
            let low = try value(base[..<dash])
            let high = try value(base[base.index(after: dash)...])
            guard low <= high else {
                throw Failure(reason: "the range \(base) runs backwards; write the smaller value first, as in \(high)-\(low)")
            }
            addRange(low, high, step: step, to: &values)
        } else {
            let single = try value(base)
            // `5/10` means from 5 to the field's maximum, every 10, as in Vixie cron.
            addRange(single, term.contains("/") ? bounds.upperBound : single, step: step, to: &values)
        }
    }

    /// Adds `low`, `low + step`, … up to `high` to the plain values.
    private func addRange(_ low: Int, _ high: Int, step: Int, to values: inout CronFieldValues) {
        var current = low
        while current <= high {
            values.bits |= 1 << UInt64(field == .dayOfWeek ? current % 7 : current)
            let (next, overflow) = current.addingReportingOverflow(step)
            if overflow { break }
            current = next
        }
    }

    /// A single value: a number in range or, in the month and day-of-week fields, a name.
    private func value(_ text: Substring) throws(Failure) -> Int {
        if let index = names.firstIndex(of: String(text)) {
            return index + (field == .month ? 1 : 0)
        }
        guard !text.isEmpty else {
            throw Failure(reason: "a value is missing; \(Self.forms); \(allowed)")
        }
        guard let number = Self.number(text) else {
            if text.allSatisfy({ $0.isLetter }) {
                let hint = names.isEmpty ? "this field takes numbers only" : "names are \(names.first!)-\(names.last!)"
                throw Failure(reason: "unknown name '\(text)'; \(hint); \(allowed)")
            }
            throw Failure(reason: "'\(text)' is not a value; \(Self.forms); \(allowed)")
        }
        guard bounds.contains(number) else {
            throw Failure(reason: "\(text) is out of range; \(allowed)")
        }
        return number
    }

    /// A whole number written in ASCII digits, saturating at 10⁹ so that no text overflows; nil if
    /// `text` is empty or not all digits.
    static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var result = 0
        for character in text.utf8 {
            guard character >= 48, character <= 57 else { return nil }
            result = min(result * 10 + Int(character - 48), 1_000_000_000)
        }
        return result
    }
}
