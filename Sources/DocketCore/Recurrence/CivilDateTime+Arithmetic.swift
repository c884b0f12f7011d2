extension CivilDateTime {
    /// Days since 1970-01-01 of a proleptic Gregorian date; negative before.
    ///
    /// Hinnant's `days_from_civil`: the year is shifted to start in March, so that the leap day
    /// falls at its end and each month's offset is a linear formula. `month` and `day` need not be
    /// in range: day 0 is the last day of the month before, month 13 is January of the next year.
    ///
    /// - Complexity: O(1).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        // Months out of range carry into the year first, so the formula sees 1-12.
        let monthIndex = Int64(month) - 1
        let carried = Int64(year) + floorDivide(monthIndex, 12)
        let month = monthIndex - floorDivide(monthIndex, 12) * 12 + 1
        let y = month <= 2 ? carried - 1 : carried
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400  // 0...399
        let shiftedMonth = month > 2 ? month - 3 : month + 9  // March is 0
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1  // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01: Hinnant's `civil_from_days`.
    ///
    /// - Complexity: O(1).
    package static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // 0...11, March is 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// The civil time a clock shows at `seconds` after 1970-01-01T00:00:00Z when it runs `offset`
    /// seconds east of UTC.
    ///
    /// - Complexity: O(1).
    package init(secondsSince1970 seconds: Int64, offset: Int) {
        let local = seconds + Int64(offset)
        let days = Self.floorDivide(local, 86_400)
        let secondOfDay = Int(local - days * 86_400)
        let date = Self.civilFromDays(days)
        self.init(
            year: date.year, month: date.month, day: date.day,
            hour: secondOfDay / 3_600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
    }

    /// The instant, in seconds since 1970-01-01T00:00:00Z, at which a clock running `offset` seconds
    /// east of UTC shows this civil time.
    ///
    /// Fields out of range carry (hour 24 is midnight of the next day), as in ``daysFromCivil(year:month:day:)``.
    ///
    /// - Complexity: O(1).
    package func secondsSince1970(offset: Int) -> Int64 {
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        return days * 86_400 + Int64(hour) * 3_600 + Int64(minute) * 60 + Int64(second) - Int64(offset)
    }

    /// The same time of day, `days` calendar days later (earlier when negative).
    ///
    /// - Complexity: O(1).
    package func addingDays(_ days: Int64) -> CivilDateTime {
        let date = Self.civilFromDays(daysSince1970 + days)
        return CivilDateTime(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: second)
    }

    /// The civil time `seconds` later (earlier when negative) on a clock that never changes offset.
    ///
    /// - Complexity: O(1).
    package func addingSeconds(_ seconds: Int64) -> CivilDateTime {
        CivilDateTime(secondsSince1970: secondsSince1970(offset: 0) + seconds, offset: 0)
    }

    /// Division rounding toward negative infinity, so that instants and days before 1970 fall in the
    /// right day and era.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
