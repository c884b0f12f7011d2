/// A date and time of day as a wall clock shows it, with no zone: the proleptic Gregorian calendar,
/// to the second.
///
/// Recurrence rules are written in wall-clock terms ("09:00 on the last Friday of the month"), so
/// they search civil times first and only then ask ``ZoneRules`` which instant, if any, a civil time
/// stands for. The type does no validation of its own: ``isValid`` says whether the fields name a
/// real civil time, and every operation that produces a value (``init(secondsSince1970:offset:)``,
/// ``addingDays(_:)``, ``addingSeconds(_:)``) produces a valid one.
///
/// The day arithmetic is Howard Hinnant's `days_from_civil` and `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html>), on `Int64`: exact for every instant
/// whose second count fits in `Int64`, with no tables and no loops. Year 0 exists (it is 1 BC) and
/// every fourth year is a leap year except centuries not divisible by 400, back to any year.
package struct CivilDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year; 0 is 1 BC, negative years go further back.
    package var year: Int
    /// The month, 1 (January) to 12.
    package var month: Int
    /// The day of the month, 1 to ``daysInMonth(year:month:)``.
    package var day: Int
    /// The hour, 0 to 23.
    package var hour: Int
    /// The minute, 0 to 59.
    package var minute: Int
    /// The second, 0 to 59: civil time here has no leap seconds, like POSIX time.
    package var second: Int

    /// Creates a civil time from its fields, as given: see ``isValid``.
    ///
    /// - Complexity: O(1).
    package init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Whether every field is in range: a month of 1-12, a day that the month has, hour 0-23,
    /// minute and second 0-59.
    ///
    /// - Complexity: O(1).
    package var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= Self.daysInMonth(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
    }

    /// Whether `year` has a 29 February.
    ///
    /// - Complexity: O(1).
    package static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Whether this date's year has a 29 February.
    ///
    /// - Complexity: O(1).
    package var isLeapYear: Bool { Self.isLeapYear(year) }

    /// The number of days in `month` (1-12) of `year`: 28 to 31; 0 for a month out of range.
    ///
    /// - Complexity: O(1).
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// The day of the week: 0 for Sunday, 1 for Monday, … 6 for Saturday, as cron counts.
    ///
    /// - Complexity: O(1).
    package var weekday: Int { Self.weekday(daysSince1970: daysSince1970) }

    /// The day of the week of the day `days` after 1970-01-01 (a Thursday): 0 for Sunday … 6 for
    /// Saturday.
    ///
    /// - Complexity: O(1).
    package static func weekday(daysSince1970 days: Int64) -> Int {
        // Floored modulo, so that days before 1970 count the same way.
        Int(((days % 7) + 7 + 4) % 7)
    }

    /// The day of the year: 1 for 1 January, up to 365 or 366.
    ///
    /// - Complexity: O(1).
    package var dayOfYear: Int {
        Int(Self.daysFromCivil(year: year, month: month, day: day) - Self.daysFromCivil(year: year, month: 1, day: 1)) + 1
    }

    /// Seconds since the start of the day: 0 to 86 399.
    ///
    /// - Complexity: O(1).
    package var secondOfDay: Int { hour * 3_600 + minute * 60 + second }

    /// Days since 1970-01-01 of this date; negative before.
    ///
    /// - Complexity: O(1).
    package var daysSince1970: Int64 { Self.daysFromCivil(year: year, month: month, day: day) }

    /// Earlier civil times order first, field by field from the year down; meaningful for valid values.
    ///
    /// - Complexity: O(1).
    package static func < (lhs: CivilDateTime, rhs: CivilDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    /// `2026-03-08T02:30:00`: ISO 8601 without a zone, for messages and test output.
    ///
    /// - Complexity: O(1).
    package var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value.magnitude)
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }
}
