/// The five fields of a parsed cron expression, as sets of the values each one accepts.
///
/// Every set is a bit mask, so a match is one test and the next match of a field is one
/// `trailingZeroBitCount`: the search jumps from field to field (month, day, hour, minute) and never
/// steps minute by minute.
package struct CronFields: Hashable, Sendable {
    /// Minutes 0-59: bit *m* set when minute *m* matches.
    package var minutes: UInt64
    /// Hours 0-23: bit *h* set when hour *h* matches.
    package var hours: UInt32
    /// Days of the month 1-31 written as numbers: bit *d* set when day *d* matches.
    package var daysOfMonth: UInt32
    /// Whether `L` was written in the day-of-month field: the last day of each month matches.
    package var lastDayOfMonth: Bool
    /// Whether `LW` was written in the day-of-month field: the last Monday-to-Friday day matches.
    package var lastWeekdayOfMonth: Bool
    /// Months 1-12: bit *m* set when month *m* matches.
    package var months: UInt16
    /// Days of the week 0-6 (Sunday is 0; a 7 as written is folded to 0): bit *w* set when weekday
    /// *w* matches.
    package var weekdays: UInt8
    /// Days of the week written `5L` or `FRIL`: bit *w* set when the last weekday *w* of each month
    /// matches.
    package var lastWeekdays: UInt8
    /// Days of the week written `MON#1`: bit `(n - 1) * 7 + w` set when the *n*th weekday *w* of each
    /// month matches, for *n* in 1-5.
    package var nthWeekdays: UInt64
    /// Whether a day must match both day fields: true when either of them starts with `*` (or `?`),
    /// as in Vixie and Debian cron; otherwise a day matching either field matches.
    package var daysMustMatchBoth: Bool
    /// Whether the minute or the hour field starts with `*`: such rules fire by real time across a
    /// daylight-saving shift (in both runs of a repeated hour, and not at all in a skipped one)
    /// rather than once per wall-clock time. See ``CronExpression``.
    package var keepsRealTimeSpacing: Bool

    /// Whether the day-of-month fields accept `day` of a month of `length` days whose weekday is
    /// `weekday`.
    ///
    /// - Complexity: O(1).
    func matchesDayOfMonth(_ day: Int, weekday: Int, length: Int) -> Bool {
        if daysOfMonth & (1 << UInt32(day)) != 0 { return true }
        if lastDayOfMonth, day == length { return true }
        if lastWeekdayOfMonth {
            // The last day, or the Friday before a month that ends on a weekend.
            let lastWeekdayDay: Int
            switch (weekday + length - day) % 7 {  // weekday of the last day
            case 0: lastWeekdayDay = length - 2
            case 6: lastWeekdayDay = length - 1
            default: lastWeekdayDay = length
            }
            if day == lastWeekdayDay { return true }
        }
        return false
    }

    /// Whether the day-of-week fields accept `day` of a month of `length` days whose weekday is
    /// `weekday`.
    ///
    /// - Complexity: O(1).
    func matchesDayOfWeek(_ day: Int, weekday: Int, length: Int) -> Bool {
        let bit = UInt8(1) << UInt8(weekday)
        if weekdays & bit != 0 { return true }
        if lastWeekdays & bit != 0, day + 7 > length { return true }
        let nth = (day - 1) / 7  // 0 for days 1-7: the first such weekday of the month
        return nthWeekdays & (UInt64(1) << UInt64(nth * 7 + weekday)) != 0
    }

    /// Whether the day fields together accept `day`, by the Vixie rule in ``daysMustMatchBoth``.
    ///
    /// - Complexity: O(1).
    package func matchesDay(_ day: Int, weekday: Int, length: Int) -> Bool {
        let dayOfMonth = matchesDayOfMonth(day, weekday: weekday, length: length)
        if daysMustMatchBoth {
            return dayOfMonth && matchesDayOfWeek(day, weekday: weekday, length: length)
        }
        return dayOfMonth || matchesDayOfWeek(day, weekday: weekday, length: length)
    }

    /// Whether some day of some month ever matches the month and day fields.
    ///
    /// Every month begins on every weekday, in leap and common years alike, within each 400-year
    /// cycle of the calendar, so trying each month with each first weekday and each of its possible
    /// lengths decides it.
    ///
    /// - Complexity: O(1): at most 12 × 7 × 2 × 31 day tests.
    package var canEverFire: Bool {
        for month in 1...12 where months & (1 << UInt16(month)) != 0 {
            let lengths = month == 2 ? [28, 29] : [CivilDateTime.daysInMonth(year: 2001, month: month)]
            for length in lengths {
                for firstWeekday in 0..<7 {
                    for day in 1...length where matchesDay(day, weekday: (firstWeekday + day - 1) % 7, length: length) {
                        return true
                    }
                }
            }
        }
        return false
    }
}
