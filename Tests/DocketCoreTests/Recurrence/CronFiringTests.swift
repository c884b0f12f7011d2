import DocketCore
import Testing

@Suite struct CronFiringTests {
    static let newYear2026: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    func firings(_ text: String, after start: Int64 = newYear2026, in zone: some ZoneRules = FixedZoneRules.utc, count: Int = 3) throws -> [Int64] {
        Array(try CronExpression(text).firings(after: start, in: zone).prefix(count))
    }

    @Test func calendarRules() throws {
        #expect(try firings("0 0 29 2 *", count: 2) == [1_835_395_200, 1_961_625_600])
        #expect(try firings("0 0 L * *") == [1_769_817_600, 1_772_236_800, 1_774_915_200])
        #expect(try firings("0 9 * * 5L", count: 2) == [1_769_763_600, 1_772_182_800])
        #expect(try firings("0 9 * * FRIL", count: 2) == [1_769_763_600, 1_772_182_800])
        #expect(try firings("0 9 * * MON#1", count: 2) == [1_767_603_600, 1_770_022_800])
        // Both day fields restricted: the 1st, and every Monday.
        #expect(try firings("0 12 1 * MON") == [1_767_268_800, 1_767_614_400, 1_768_219_200])
        #expect(try firings("0 9 * * *", in: FixedZoneRules(offsetSeconds: 19_800), count: 1) == [1_767_238_200])
    }

    @Test func strictlyAfterAndInOrder() throws {
        let expression = try CronExpression("*/7 * * * *")
        #expect(expression.nextFiring(after: Self.newYear2026 - 1, in: FixedZoneRules.utc) == Self.newYear2026)
        #expect(expression.nextFiring(after: Self.newYear2026, in: FixedZoneRules.utc) == Self.newYear2026 + 420)
        let all = Array(expression.firings(after: Self.newYear2026, in: FixedZoneRules.utc).prefix(20))
        #expect(all.count == 20)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0 < $1 })
        // 56 is the last multiple of 7 in an hour; the next is minute 0.
        #expect(all[8] - all[7] == 4 * 60)
    }

    @Test func springForwardInNewYork() throws {
        let zone = TableZoneRules.newYork2026
        let before: Int64 = 1_772_951_400  // 2026-03-08 01:30 EST
        // 02:30 never happens: it fires once, when clocks reach 03:00 EDT.
        #expect(try firings("30 2 * * *", after: before, in: zone, count: 2) == [1_772_953_200, 1_773_037_800])
        // Real-time rules fire at matching instants only: 01:30 EST, then 03:00 EDT.
        #expect(try firings("*/30 * * * *", after: before - 1, in: zone) == [before, 1_772_953_200, 1_772_955_000])
    }

    @Test func fallBackInNewYork() throws {
        let zone = TableZoneRules.newYork2026
        let start: Int64 = 1_793_505_600  // 2026-11-01 00:00 EDT
        // 01:30 happens twice: it fires at the first, EDT.
        #expect(try firings("30 1 * * *", after: start, in: zone, count: 2) == [1_793_511_000, 1_793_597_400 + 3_600])
        // Real-time rules fire in both runs of the hour.
        #expect(try firings("*/30 * * * *", after: start + 3_599, in: zone, count: 4)
            == [1_793_509_200, 1_793_511_000, 1_793_512_800, 1_793_514_600])
        // From 01:30 EST, the second run, 01:45 EDT is already past: the next is the next day's.
        #expect(try firings("45 1 * * *", after: 1_793_514_600, in: zone, count: 1) == [1_793_601_900])
    }

    @Test func halfHourFallBackOnLordHowe() throws {
        // 2026-04-05: 02:00 +11 becomes 01:30 +10:30. 02:00-02:59 happen once, at +10:30; cronsim
        // skips 02:00 and 02:20 here (see make-cron-vectors.py), Docket does not.
        let zone = TableZoneRules.lordHowe2026
        #expect(try firings("*/20 2 * * *", after: 1_775_230_800, in: zone)
            == [1_775_316_600, 1_775_317_800, 1_775_319_000])
    }

    @Test func everyIsAnchored() throws {
        let every = try CronExpression("@every 90s", anchor: 1_000)
        let utc = FixedZoneRules.utc
        #expect(every.nextFiring(after: 0, in: utc) == 1_000)
        #expect(every.nextFiring(after: 999, in: utc) == 1_000)
        #expect(every.nextFiring(after: 1_000, in: utc) == 1_090)
        #expect(every.nextFiring(after: 1_089, in: utc) == 1_090)
        #expect(every.nextFiring(after: 1_090, in: utc) == 1_180)
        // A restart that asks from any instant lands on the same grid.
        let restart: Int64 = 1_000 + 90 * 1_000_000 + 17
        let expected: Int64 = 1_000 + 90 * 1_000_001
        #expect(every.nextFiring(after: restart, in: utc) == expected)
        let long = try CronExpression("@every 1h30m", anchor: Self.newYear2026)
        #expect(Array(long.firings(after: Self.newYear2026, in: TableZoneRules.newYork2026).prefix(2))
            == [Self.newYear2026 + 5_400, Self.newYear2026 + 10_800])
        #expect(try CronExpression("@every 1s").nextFiring(after: .max, in: utc) == nil)
        #expect(try CronExpression("@every 1s", anchor: CronFields.latestInstant).nextFiring(after: .min, in: utc) == CronFields.latestInstant)
        #expect(try CronExpression("@every 1s", anchor: .max).nextFiring(after: .min, in: utc) == nil)
        #expect(try CronExpression("@every 1s", anchor: .min).nextFiring(after: .max, in: utc) == nil)
    }

    @Test func extremeInstants() throws {
        let daily = try CronExpression("@daily")
        #expect(daily.nextFiring(after: .max, in: FixedZoneRules.utc) == nil)
        #expect(daily.nextFiring(after: CronFields.latestInstant - 60, in: FixedZoneRules.utc) == nil)
        #expect(daily.nextFiring(after: .min, in: FixedZoneRules.utc) == -62_135_510_400)  // 0001-01-02
        #expect(try CronExpression("0 0 29 2 *").nextFiring(after: 253_380_000_000, in: TableZoneRules.newYork2026) == nil)
    }
}
