import DocketCore
import Testing

@Suite struct RecurrenceRuleParserTests {
    @Test func readsEveryPart() throws {
        let rule = try RecurrenceRule.parse(
            "RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYSECOND=30,0;BYMINUTE=15;BYHOUR=9,17;BYDAY=-1FR,1MO,TU;BYMONTHDAY=-1,1;BYYEARDAY=100,-1;BYMONTH=3,1;BYSETPOS=1,-1;WKST=SU")
        #expect(rule.frequency == .yearly)
        #expect(rule.interval == 2)
        #expect(rule.count == 10)
        #expect(rule.bySecond == [0, 30])
        #expect(rule.byMinute == [15])
        #expect(rule.byHour == [9, 17])
        #expect(rule.byDay == [.init(.monday, ordinal: 1), .init(.tuesday), .init(.friday, ordinal: -1)])
        #expect(rule.byMonthDay == [-1, 1])
        #expect(rule.byYearDay == [-1, 100])
        #expect(rule.byMonth == [1, 3])
        #expect(rule.bySetPosition == [-1, 1])
        #expect(rule.weekStart == .sunday)
        #expect(try RecurrenceRule.parse(rule.description) == rule)
    }

    @Test(arguments: [
        "FREQ=WEEKLY;BYDAY=MO,WE",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
        "  freq=weekly;byday=mo,we \n",
        "BYDAY=WE,MO;FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=MO,WE,MO",
    ])
    func acceptsCommonForms(text: String) throws {
        #expect(try RecurrenceRule.parse(text) == RecurrenceRule(frequency: .weekly, byDay: [.init(.monday), .init(.wednesday)]))
    }

    @Test func readsBothFormsOfUntil() throws {
        #expect(try RecurrenceRule.parse("FREQ=DAILY;UNTIL=20261231T235959Z").until == .instant(1_798_761_599))
        #expect(try RecurrenceRule.parse("FREQ=DAILY;UNTIL=20261231").until == .localDate(year: 2026, month: 12, day: 31))
    }

    @Test(arguments: [
        ("FREQ=DAILY;BYHOUR=24", "BYHOUR=24", "hours run from 0"),
        ("FREQ=DAILY;BYMINUTE=9,60", "BYMINUTE=9,60", "minutes run from 0"),
        ("FREQ=DAILY;BYSECOND=60", "BYSECOND=60", "leap seconds"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0", "0 is not allowed"),
        ("FREQ=YEARLY;BYWEEKNO=-54", "BYWEEKNO=-54", "out of range"),
        ("FREQ=DAILY;INTERVAL=99999999999999999999999", "INTERVAL=99999999999999999999999", "out of range"),
        ("FREQ=DAILY;COUNT=-1", "COUNT=-1", "not a whole number"),
        ("FREQ=HOURLY;FOO=1", "FOO=1", "unknown part FOO"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY", "unknown frequency"),
        ("INTERVAL=2", "INTERVAL=2", "FREQ is missing"),
        ("FREQ=DAILY;INTERVAL=2;INTERVAL=3", "INTERVAL=3", "appears twice"),
        ("FREQ=DAILY;", "FREQ=DAILY;", "empty part"),
        ("FREQ=DAILY;BYHOUR=9,,17", "BYHOUR=9,,17", "empty item"),
        ("FREQ=DAILY;UNTIL=20261231T000000", "UNTIL=20261231T000000", "in UTC"),
        ("FREQ=DAILY;UNTIL=20260229T000000Z", "UNTIL=20260229T000000Z", "not a real date"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20261231", "COUNT=3;UNTIL=20261231", "cannot be used together"),
        ("FREQ=WEEKLY;BYDAY=2TU", "BYDAY=2TU", "needs FREQ=MONTHLY or FREQ=YEARLY"),
        ("FREQ=YEARLY;BYWEEKNO=2;BYDAY=2TU", "BYDAY=2TU", "cannot be used with BYWEEKNO"),
        ("FREQ=MONTHLY;BYDAY=-6SU", "BYDAY=-6SU", "at most 5"),
        ("FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY=3", "FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYYEARDAY=3", "BYYEARDAY=3", "FREQ=MONTHLY"),
        ("FREQ=DAILY;BYWEEKNO=3", "BYWEEKNO=3", "needs FREQ=YEARLY"),
        ("FREQ=DAILY;BYSETPOS=1", "BYSETPOS=1", "another BY part"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30,31", "BYMONTH=2;BYMONTHDAY=30,31", "never fires"),
        ("FREQ=WEEKLY;BYDAY=MON", "BYDAY=MON", "not a weekday"),
        ("FREQ=WEEKLY;WKST=1", "WKST=1", "weekday code"),
    ])
    func refusesWithTheFaultyPartQuoted(text: String, part: String, reason: String) {
        #expect {
            _ = try RecurrenceRule.parse(text)
        } throws: { error in
            guard let error = error as? RecurrenceRuleError else { return false }
            return error.part == part && error.reason.contains(reason) && error.text == text
                && error.description.contains("\"\(part)\"")
        }
    }

    @Test func readsABlock() throws {
        let schedule = try RecurrenceRuleSet.parse(
            "DTSTART;TZID=Europe/London:20260101T090000\r\nRRULE:FREQ=WEEKLY;\r\n BYDAY=MO,WE\r\n\r\nrdate:20260103T100000,20260104T100000Z\nEXDATE;TZID=Europe/London:20260105T090000\n")
        #expect(schedule.start == .local(CivilDateTime(year: 2026, month: 1, day: 1, hour: 9)))
        #expect(schedule.timeZoneIdentifier == "Europe/London")
        #expect(schedule.rule == RecurrenceRule(frequency: .weekly, byDay: [.init(.monday), .init(.wednesday)]))
        #expect(schedule.additions == [
            .local(CivilDateTime(year: 2026, month: 1, day: 3, hour: 10)), .utc(CivilDateTime(year: 2026, month: 1, day: 4, hour: 10)),
        ])
        #expect(schedule.exclusions == [.local(CivilDateTime(year: 2026, month: 1, day: 5, hour: 9))])
    }

    @Test func takesTheDefaultStartForABareRule() throws {
        let start = RecurrenceRuleSet.Time.utc(CivilDateTime(year: 2026, month: 1, day: 1))
        let schedule = try RecurrenceRuleSet.parse("FREQ=HOURLY", defaultStart: start)
        #expect(schedule.start == start)
        #expect(throws: RecurrenceRuleError.self) { try RecurrenceRuleSet.parse("FREQ=HOURLY") }
    }

    @Test(arguments: [
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY;INTERVAL=7;BYDAY=FR", "never matches"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=HOURLY;INTERVAL=6;BYHOUR=10,11", "never matches"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY;UNTIL=20251231T000000Z", "after UNTIL"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY", "a second RRULE"),
        ("DTSTART;TZID=Europe/London:20260101T090000Z\nRRULE:FREQ=DAILY", "cannot have a TZID"),
        ("DTSTART;TZID=Europe/London:20260101T090000\nRRULE:FREQ=DAILY\nEXDATE;TZID=Europe/Paris:20260102T090000", "differs from DTSTART's"),
        ("DTSTART;VALUE=DATE:20260101\nRRULE:FREQ=DAILY", "date-time values"),
        ("DTSTART:20261301T090000\nRRULE:FREQ=DAILY", "not a real date"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY\nEXRULE:FREQ=WEEKLY", "EXRULE is not supported"),
        ("DTSTART:20260101T090000", "RRULE is missing"),
    ])
    func refusesBadBlocks(text: String, reason: String) {
        #expect {
            _ = try RecurrenceRuleSet.parse(text)
        } throws: { error in
            (error as? RecurrenceRuleError)?.reason.contains(reason) == true
        }
    }

    @Test func refusesARuleThatNeverFiresEvenWithRDATEs() throws {
        #expect(throws: RecurrenceRuleError.self) {
            try RecurrenceRuleSet.parse("DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;INTERVAL=7;BYDAY=FR\nRDATE:20260110T090000Z")
        }
        let schedule = try RecurrenceRuleSet.parse("DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TH\nRDATE:20260110T090000Z")
        #expect(schedule.nextFirings(after: 0, limit: 3, in: FixedZoneRules.utc) == [1_767_258_000, 1_767_862_800, 1_768_035_600])
    }
}
