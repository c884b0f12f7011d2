/// The RFC 5545 text form of civil times: `20260308T023000`, the "basic" ISO 8601 format.
extension CivilDateTime {
    /// The time as `YYYYMMDDTHHMMSS`, as RFC 5545 writes `DTSTART`, `RDATE` and `UNTIL` values.
    ///
    /// - Complexity: O(1).
    package var basicFormat: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
    }

    /// Seconds since 1970 of this civil time read as if it were UTC: a plain count of wall-clock
    /// seconds, in which every day has 86 400, as recurrence rules count them.
    ///
    /// - Complexity: O(1).
    var wallSeconds: Int64 { secondsSince1970(offset: 0) }

    /// The civil time `seconds` wall-clock seconds after 1970-01-01T00:00:00.
    ///
    /// - Complexity: O(1).
    init(wallSeconds seconds: Int64) {
        self.init(secondsSince1970: seconds, offset: 0)
    }
}

/// Reads RFC 5545 date-time values.
enum DateTimeText {
    /// The earliest and latest years accepted: those of RFC 5545's four-digit years, and of the
    /// calendar arithmetic's comfortable range.
    static let years = 1...9999

    /// Reads `YYYYMMDDTHHMMSS` exactly (no zone suffix), refusing dates that do not exist.
    ///
    /// - Complexity: O(1): longer text is refused before it is read.
    static func civil(_ text: Substring, _ part: Substring) throws(RecurrenceRuleError.Failure) -> CivilDateTime {
        let bytes = Array(text.utf8)
        let example = "write YYYYMMDDTHHMMSS, as in 20260101T090000"
        guard bytes.count == 15, bytes[8] == UInt8(ascii: "T") || bytes[8] == UInt8(ascii: "t") else {
            throw RecurrenceRuleError.Failure(part, "'\(text)' is not a date and time; \(example)")
        }
        func field(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = field(0..<4), let month = field(4..<6), let day = field(6..<8), let hour = field(9..<11),
            let minute = field(11..<13), let second = field(13..<15)
        else {
            throw RecurrenceRuleError.Failure(part, "'\(text)' is not a date and time; \(example)")
        }
        let civil = CivilDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard years.contains(year) else {
            throw RecurrenceRuleError.Failure(part, "the year \(year) is out of range; write a year from 0001 to 9999")
        }
        guard civil.isValid else {
            if second == 60 {
                throw RecurrenceRuleError.Failure(part, "leap seconds are not supported; write a second from 00 to 59")
            }
            throw RecurrenceRuleError.Failure(part, "'\(text)' is not a real date and time; check the month (01-12), the day (the month's length), the hour (00-23), minute and second (00-59)")
        }
        return civil
    }
}
