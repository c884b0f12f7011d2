import DocketCore
import Testing

@Suite struct CivilDateTimeTests {
    @Test(arguments: [
        (1970, 1, 1, Int64(0), 4),
        (2000, 3, 1, 11_017, 3),
        (2026, 3, 8, 20_520, 0),
        (2024, 2, 29, 19_782, 4),
        (1969, 12, 31, -1, 3),
        (1600, 1, 1, -135_140, 6),
        (0, 3, 1, -719_468, 3),
        (-1, 12, 31, -719_529, 5),
    ])
    func knownDays(year: Int, month: Int, day: Int, days: Int64, weekday: Int) {
        #expect(CivilDateTime.daysFromCivil(year: year, month: month, day: day) == days)
        let back = CivilDateTime.civilFromDays(days)
        #expect(back.year == year && back.month == month && back.day == day)
        #expect(CivilDateTime(year: year, month: month, day: day).weekday == weekday)
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        // One full Gregorian cycle on each side of 1970, day by day, checked against a plain count.
        var expected = (year: 1570, month: 1, day: 1)
        var days = CivilDateTime.daysFromCivil(year: 1570, month: 1, day: 1)
        while expected.year < 2370 {
            let date = CivilDateTime.civilFromDays(days)
            #expect(date == expected, "day \(days)")
            if date != expected { return }
            expected.day += 1
            if expected.day > CivilDateTime.daysInMonth(year: expected.year, month: expected.month) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 { expected = (expected.year + 1, 1, 1) }
            }
            days += 1
        }
    }

    @Test func leapYearsAndMonthLengths() {
        #expect(CivilDateTime.isLeapYear(2024) && CivilDateTime.isLeapYear(2000) && CivilDateTime.isLeapYear(0))
        #expect(!CivilDateTime.isLeapYear(1900) && !CivilDateTime.isLeapYear(2026) && !CivilDateTime.isLeapYear(2100))
        #expect(CivilDateTime.daysInMonth(year: 2028, month: 2) == 29)
        #expect(CivilDateTime.daysInMonth(year: 2026, month: 2) == 28)
        #expect(CivilDateTime.daysInMonth(year: 2026, month: 4) == 30)
        #expect(CivilDateTime.daysInMonth(year: 2026, month: 12) == 31)
        #expect(CivilDateTime.daysInMonth(year: 2026, month: 13) == 0)
        #expect(CivilDateTime(year: 2024, month: 12, day: 31).dayOfYear == 366)
        #expect(CivilDateTime(year: 2026, month: 3, day: 1).dayOfYear == 60)
        #expect(CivilDateTime(year: 2026, month: 1, day: 1).dayOfYear == 1)
    }

    @Test func secondsAndOffsets() {
        // 2026-03-08T07:00:00Z is 02:00 in New York before the spring-forward.
        let instant: Int64 = 1_772_953_200
        let local = CivilDateTime(secondsSince1970: instant, offset: -18_000)
        #expect(local == CivilDateTime(year: 2026, month: 3, day: 8, hour: 2))
        #expect(local.secondsSince1970(offset: -18_000) == instant)
        #expect(CivilDateTime(secondsSince1970: -1, offset: 0) == CivilDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        #expect(CivilDateTime(secondsSince1970: 0, offset: 19_800).description == "1970-01-01T05:30:00")
        #expect(CivilDateTime(year: 2026, month: 1, day: 1, hour: 24).secondsSince1970(offset: 0) == 1_767_312_000)
        #expect(CivilDateTime(secondsSince1970: .max, offset: 0).secondsSince1970(offset: 0) == .max)
        #expect(CivilDateTime(secondsSince1970: .min + 86_400, offset: 0).secondsSince1970(offset: 0) == .min + 86_400)
    }

    @Test func addingAndOrdering() {
        let start = CivilDateTime(year: 2028, month: 2, day: 28, hour: 23, minute: 59, second: 30)
        #expect(start.addingDays(1) == CivilDateTime(year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 30))
        #expect(start.addingDays(2).month == 3)
        #expect(start.addingDays(-59) == CivilDateTime(year: 2027, month: 12, day: 31, hour: 23, minute: 59, second: 30))
        #expect(start.addingSeconds(30) == CivilDateTime(year: 2028, month: 2, day: 29))
        #expect(start.addingSeconds(-86_400 * 366).year == 2027)
        #expect(start < start.addingSeconds(1))
        #expect(CivilDateTime(year: 2026, month: 12, day: 1) < CivilDateTime(year: 2027, month: 1, day: 1))
        #expect(start.isValid)
        #expect(!CivilDateTime(year: 2026, month: 2, day: 29).isValid)
        #expect(!CivilDateTime(year: 2026, month: 1, day: 1, hour: 24).isValid)
    }
}
