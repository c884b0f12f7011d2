/// Which days a rule's day parts let through: `BYMONTH`, `BYMONTHDAY`, `BYYEARDAY`, `BYWEEKNO` and
/// `BYDAY`, each a limit here; a period's days are the days of the period that pass them all.
extension ExpansionPlan {
    /// Whether any day part limits days (after the defaults), so that a day must be checked.
    var limitsDays: Bool {
        months != 0 || monthDays | negativeMonthDays != 0 || !yearDays.isEmpty || weekNumbers | negativeWeekNumbers != 0
            || weekdays != 0 || !ordinalWeekdays.isEmpty
    }

    /// Whether day `day` (days since 1970), which is `date`, passes the rule's day parts.
    ///
    /// A plain `BYDAY` weekday and an ordinal one each let a day through (RFC 5545 lists them as
    /// alternatives: `BYDAY=MO,1FR` is every Monday and the first Friday).
    ///
    /// - Complexity: O(*o*) in the number of ordinal `BYDAY` entries.
    func matches(day: Int64, date: (year: Int, month: Int, day: Int)) -> Bool {
        if months != 0, months & (1 << UInt16(date.month)) == 0 { return false }
        let monthLength = CivilDateTime.daysInMonth(year: date.year, month: date.month)
        if monthDays | negativeMonthDays != 0 {
            guard monthDays & (1 << UInt64(date.day)) != 0 || negativeMonthDays & (1 << UInt64(monthLength - date.day + 1)) != 0
            else { return false }
        }
        let yearLength = CivilDateTime.isLeapYear(date.year) ? 366 : 365
        if !yearDays.isEmpty {
            let dayOfYear = Int(day - CivilDateTime.daysFromCivil(year: date.year, month: 1, day: 1)) + 1
            guard yearDays[dayOfYear] || negativeYearDays[yearLength - dayOfYear + 1] else { return false }
        }
        if weekNumbers | negativeWeekNumbers != 0, !weekNumberMatches(day: day, year: date.year) { return false }
        guard weekdays != 0 || !ordinalWeekdays.isEmpty else { return true }
        let weekday = CivilDateTime.weekday(daysSince1970: day)
        if weekdays & (1 << UInt8(weekday)) != 0 { return true }
        for entry in ordinalWeekdays where entry.weekday == weekday {
            let first: Int64
            let last: Int64
            if ordinalsWithinMonth {
                first = day - Int64(date.day - 1)
                last = first + Int64(monthLength - 1)
            } else {
                first = CivilDateTime.daysFromCivil(year: date.year, month: 1, day: 1)
                last = first + Int64(yearLength - 1)
            }
            let position = Int((day - first) / 7) + 1
            let fromEnd = -(Int((last - day) / 7) + 1)
            if entry.ordinal == position || entry.ordinal == fromEnd { return true }
        }
        return false
    }

    /// Whether the week `day` falls in has a number in `BYWEEKNO`.
    ///
    /// Weeks start on ``weekStart``; week 1 of a year is the first with at least four of its days
    /// in that year (ISO 8601's rule, with the start day of RFC 5545's `WKST`). Days at either end of
    /// a year may belong to a week of the next or the previous year, and take its number; -1 is the
    /// last week of the week's own year.
    ///
    /// - Complexity: O(1).
    func weekNumberMatches(day: Int64, year: Int) -> Bool {
        var weekYear = year
        var firstWeek = firstWeekStart(of: year)
        if day < firstWeek {
            weekYear = year - 1
            firstWeek = firstWeekStart(of: weekYear)
        } else {
            let next = firstWeekStart(of: year + 1)
            if day >= next {
                weekYear = year + 1
                firstWeek = next
            }
        }
        let weeks = (firstWeekStart(of: weekYear + 1) - firstWeek) / 7
        let number = (day - firstWeek) / 7 + 1
        return weekNumbers & (1 << UInt64(number)) != 0 || negativeWeekNumbers & (1 << UInt64(weeks - number + 1)) != 0
    }

    /// The first day (since 1970) of week 1 of `year`.
    private func firstWeekStart(of year: Int) -> Int64 {
        let january1 = CivilDateTime.daysFromCivil(year: year, month: 1, day: 1)
        let intoWeek = Int64((CivilDateTime.weekday(daysSince1970: january1) - weekStart + 7) % 7)
        // The week holding 1 January counts when at least four of its days are in the year.
        return intoWeek <= 3 ? january1 - intoWeek : january1 - intoWeek + 7
    }
}
