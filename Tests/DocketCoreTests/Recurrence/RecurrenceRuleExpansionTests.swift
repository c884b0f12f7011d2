import DocketCore
import Testing

/// New York's 2026 rules, written out: EST (-5) until 2026-03-08T07:00Z, EDT (-4) until
/// 2026-11-01T06:00Z, EST after. Enough to check gaps and overlaps without the system's zones.
/// A zone that counts how often it is consulted.
private final class CountingZone: ZoneRules, @unchecked Sendable {
    // Used by one test's synchronous search on one thread: nothing shares the count.
    private(set) var lookups = 0
    private let zone: any ZoneRules

    init(_ zone: any ZoneRules) { self.zone = zone }

    var identifier: String { zone.identifier }

    func offset(atUTC seconds: Int64) -> Int {
        lookups += 1
        return zone.offset(atUTC: seconds)
    }

    func nextTransition(afterUTC seconds: Int64) -> Int64? {
        lookups += 1
        return zone.nextTransition(afterUTC: seconds)
    }
}

private struct NewYork2026: ZoneRules {
    static let springForward: Int64 = 1_772_953_200
    static let fallBack: Int64 = 1_793_512_800
    var identifier: String { "America/New_York (2026)" }

    func offset(atUTC seconds: Int64) -> Int {
        seconds >= Self.springForward && seconds < Self.fallBack ? -14_400 : -18_000
    }

    func nextTransition(afterUTC seconds: Int64) -> Int64? {
        seconds < Self.springForward ? Self.springForward : seconds < Self.fallBack ? Self.fallBack : nil
    }
}

/// US Eastern time by the rules in force since 2007, every year: EDT from the second Sunday of
/// March at 02:00 to the first Sunday of November at 02:00.
private struct USEastern: ZoneRules {
    var identifier: String { "US Eastern" }

    /// The instants of the year's two changes.
    private func changes(_ year: Int) -> (spring: Int64, fall: Int64) {
        func sunday(_ month: Int, _ nth: Int) -> Int64 {
            let first = CivilDateTime.daysFromCivil(year: year, month: month, day: 1)
            return first + Int64((7 - CivilDateTime.weekday(daysSince1970: first)) % 7 + 7 * (nth - 1))
        }
        return (sunday(3, 2) * 86_400 + 7 * 3_600, sunday(11, 1) * 86_400 + 6 * 3_600)
    }

    func offset(atUTC seconds: Int64) -> Int {
        let (spring, fall) = changes(CivilDateTime(secondsSince1970: seconds, offset: 0).year)
        return seconds >= spring && seconds < fall ? -14_400 : -18_000
    }

    func nextTransition(afterUTC seconds: Int64) -> Int64? {
        let year = CivilDateTime(secondsSince1970: seconds, offset: 0).year
        let (spring, fall) = changes(year)
        return seconds < spring ? spring : seconds < fall ? fall : changes(year + 1).spring
    }
}

/// A UTC instant from its civil fields.
private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
    CivilDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).secondsSince1970(offset: 0)
}

@Suite struct RecurrenceRuleExpansionTests {
    @Test func aWallTimeInAGapTakesTheOffsetFromBeforeIt() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260307T023000\nRRULE:FREQ=DAILY;COUNT=3")
        #expect(schedule.nextFirings(after: 0, limit: 5, in: NewYork2026()) == [
            utc(2026, 3, 7, 7, 30),  // 02:30 EST
            utc(2026, 3, 8, 7, 30),  // 02:30 does not exist: 03:30 EDT
            utc(2026, 3, 9, 6, 30),  // 02:30 EDT
        ])
    }

    @Test func twoWallTimesOnOneInstantFireOnceAndInOrder() throws {
        // 02:00 and 02:30 fall in the gap and land on 07:00Z and 07:30Z, as 03:00 and 03:30 EDT do.
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260308T010000\nRRULE:FREQ=MINUTELY;INTERVAL=30")
        #expect(schedule.nextFirings(after: 0, limit: 5, in: NewYork2026()) == [
            utc(2026, 3, 8, 6), utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7), utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 8),
        ])
        // Starting the search inside the gap's span finds the same instants.
        #expect(schedule.nextFirings(after: utc(2026, 3, 8, 7, 15), limit: 2, in: NewYork2026()) == [
            utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 8),
        ])
    }

    @Test func occurrencesThatAreAllInGapsFireOneByOne() throws {
        // Every occurrence falls in that year's gap; each must be returned without walking on.
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T023000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU")
        #expect(schedule.nextFirings(after: 0, limit: 3, in: USEastern()) == [
            utc(2026, 3, 8, 7, 30), utc(2027, 3, 14, 7, 30), utc(2028, 3, 12, 7, 30),
        ])
        #expect(zoneLookups(in: USEastern()) { schedule.nextFiring(after: utc(2030, 1, 1), in: $0) } < 1_000)
    }

    @Test func aRepeatedWallTimeFiresAtItsFirstOccurrence() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20261031T013000\nRRULE:FREQ=DAILY")
        #expect(schedule.nextFirings(after: 0, limit: 3, in: NewYork2026()) == [
            utc(2026, 10, 31, 5, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30),
        ])
        let hourly = try RecurrenceRuleSet.parse("DTSTART:20261101T000000\nRRULE:FREQ=HOURLY")
        #expect(hourly.nextFirings(after: 0, limit: 4, in: NewYork2026()) == [
            utc(2026, 11, 1, 4), utc(2026, 11, 1, 5), utc(2026, 11, 1, 7), utc(2026, 11, 1, 8),
        ])
    }

    @Test func aUTCStartIgnoresTheZone() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY")
        #expect(schedule.nextFiring(after: utc(2026, 7, 1), in: NewYork2026()) == utc(2026, 7, 1, 9))
    }

    @Test func dateOnlyUntilIncludesThatWholeDay() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T230000\nRRULE:FREQ=DAILY;UNTIL=20260103")
        #expect(schedule.nextFirings(after: 0, limit: 5, in: FixedZoneRules(offsetSeconds: 19_800)) == [
            utc(2026, 1, 1, 17, 30), utc(2026, 1, 2, 17, 30), utc(2026, 1, 3, 17, 30),
        ])
    }

    @Test func plainAndOrdinalWeekdaysAddUp() throws {
        // RFC 5545 lists BYDAY values as alternatives; dateutil intersects the two kinds instead.
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T090000Z\nRRULE:FREQ=MONTHLY;BYDAY=MO,1FR")
        #expect(schedule.nextFirings(after: 0, limit: 4, in: FixedZoneRules.utc) == [
            utc(2026, 1, 2, 9), utc(2026, 1, 5, 9), utc(2026, 1, 12, 9), utc(2026, 1, 19, 9),
        ])
    }

    @Test func countIsCountedFromTheStart() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;BYHOUR=9,21;COUNT=5")
        #expect(schedule.nextFirings(after: utc(2026, 1, 2, 12), limit: 5, in: FixedZoneRules.utc) == [
            utc(2026, 1, 2, 21), utc(2026, 1, 3, 9),
        ])
    }

    /// How many times one search consults the zone: each candidate the expansion looks at costs at
    /// least one lookup, so a bound on lookups is a bound on the walk, whatever the machine's speed.
    private func zoneLookups(in zone: some ZoneRules, _ search: (CountingZone) -> Int64?) -> Int {
        let counting = CountingZone(zone)
        _ = search(counting)
        return counting.lookups
    }

    @Test func aLongRunningSecondlyRuleJumpsToTheSearch() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20200101T000003\nRRULE:FREQ=SECONDLY;INTERVAL=7")
        let after = utc(2030, 6, 1, 12) + 1
        let next = try #require(schedule.nextFiring(after: after, in: NewYork2026()))
        #expect(next > after && next - after <= 7)
        #expect((next - 5 * 3_600 - utc(2020, 1, 1, 0, 0, 3)) % 7 == 0)
        #expect(zoneLookups(in: NewYork2026()) { schedule.nextFiring(after: after, in: $0) } < 1_000)
    }

    @Test func aLongRunningMinutelyRuleWithLimitsStaysBounded() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20200101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=7;BYHOUR=9,17;BYDAY=MO,TU,WE,TH,FR;BYMINUTE=0,1,2,3,4,5,6")
        let after = utc(2029, 12, 28, 23)  // a Friday night
        let next = try #require(schedule.nextFiring(after: after, in: FixedZoneRules.utc))
        #expect(next >= utc(2029, 12, 31, 9) && next < utc(2029, 12, 31, 9, 7))
        #expect(zoneLookups(in: FixedZoneRules.utc) { schedule.nextFiring(after: after, in: $0) } < 1_000)
    }

    @Test func aSimpleRuleWithCountJumpsToo() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T000000Z\nRRULE:FREQ=MINUTELY;COUNT=1000000")
        let last = utc(2026, 1, 1) + 999_999 * 60
        #expect(schedule.nextFiring(after: last - 1, in: FixedZoneRules.utc) == last)
        #expect(schedule.nextFiring(after: last, in: FixedZoneRules.utc) == nil)
        #expect(zoneLookups(in: FixedZoneRules.utc) { schedule.nextFiring(after: last - 1, in: $0) } < 1_000)
    }

    @Test func aRuleEndsAtTheCalendarsEnd() throws {
        let schedule = try RecurrenceRuleSet.parse("DTSTART:99991231T000000Z\nRRULE:FREQ=DAILY")
        #expect(schedule.nextFiring(after: utc(9999, 12, 31), in: FixedZoneRules.utc) == nil)
        #expect(schedule.nextFiring(after: .max, in: FixedZoneRules.utc) == nil)
        #expect(schedule.nextFiring(after: .min, in: FixedZoneRules.utc) == utc(9999, 12, 31))
    }
}
