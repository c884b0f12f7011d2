import DocketCore
import Testing

/// Rules from a table of transitions, as (instant, offset from then on).
struct TableZoneRules: ZoneRules {
    var identifier = "Test/Table"
    var initialOffset: Int
    var transitions: [(at: Int64, offset: Int)]

    func offset(atUTC seconds: Int64) -> Int {
        transitions.last { $0.at <= seconds }?.offset ?? initialOffset
    }

    func nextTransition(afterUTC seconds: Int64) -> Int64? {
        transitions.first { $0.at > seconds }?.at
    }

    /// New York in 2026: EDT from 2026-03-08T07:00Z, EST again from 2026-11-01T06:00Z.
    static let newYork2026 = TableZoneRules(
        identifier: "Test/NewYork", initialOffset: -18_000,
        transitions: [(1_772_953_200, -14_400), (1_793_512_800, -18_000)])

    /// Lord Howe Island in 2026: +11 until 2026-04-04T15:00Z, +10:30 until 2026-10-03T15:30Z.
    static let lordHowe2026 = TableZoneRules(
        identifier: "Test/LordHowe", initialOffset: 39_600,
        transitions: [(1_775_314_800, 37_800), (1_791_041_400, 39_600)])
}

@Suite struct ZoneRulesTests {
    @Test func fixedZones() {
        let utc = FixedZoneRules.utc
        #expect(utc.identifier == "UTC")
        #expect(utc.resolve(CivilDateTime(year: 2026, month: 3, day: 8, hour: 2, minute: 30)) == .unique(1_772_937_000))
        let kolkata = FixedZoneRules(offsetSeconds: 19_800)
        #expect(kolkata.identifier == "UTC+05:30")
        #expect(FixedZoneRules(offsetSeconds: -3_600).identifier == "UTC-01:00")
        #expect(kolkata.resolve(CivilDateTime(year: 1970, month: 1, day: 1, hour: 5, minute: 30)) == .unique(0))
        #expect(kolkata.nextTransition(afterUTC: 0) == nil)
        #expect(kolkata.civilTime(atUTC: 0) == CivilDateTime(year: 1970, month: 1, day: 1, hour: 5, minute: 30))
    }

    @Test func springForwardGap() {
        let zone = TableZoneRules.newYork2026
        let gap = LocalTimeResolution.skipped(gapStartUTC: 1_772_953_200, offsetBefore: -18_000, offsetAfter: -14_400)
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 3, day: 8, hour: 2)) == gap)
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 3, day: 8, hour: 2, minute: 59, second: 59)) == gap)
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 59)) == .unique(1_772_953_199))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 3, day: 8, hour: 3)) == .unique(1_772_953_200))
    }

    @Test func fallBackOverlap() {
        let zone = TableZoneRules.newYork2026
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 11, day: 1, hour: 1, minute: 30)) == .repeated(first: 1_793_511_000, second: 1_793_514_600))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 11, day: 1, hour: 1)) == .repeated(first: 1_793_509_200, second: 1_793_512_800))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 11, day: 1, hour: 2)) == .unique(1_793_516_400))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 11, day: 1, hour: 0, minute: 59, second: 59)) == .unique(1_793_509_199))
    }

    @Test func halfHourShifts() {
        let zone = TableZoneRules.lordHowe2026
        // 2026-04-05 02:00 +11 becomes 01:30 +10:30: 01:30-01:59 happen twice.
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 4, day: 5, hour: 1, minute: 45)) == .repeated(first: 1_775_313_900, second: 1_775_315_700))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 4, day: 5, hour: 1, minute: 29)) == .unique(1_775_312_940))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 4, day: 5, hour: 2)) == .unique(1_775_316_600))
        // 2026-10-04 02:00 +10:30 becomes 02:30 +11: 02:00-02:29 never happen.
        let gap = LocalTimeResolution.skipped(gapStartUTC: 1_791_041_400, offsetBefore: 37_800, offsetAfter: 39_600)
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 10, day: 4, hour: 2, minute: 15)) == gap)
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 10, day: 4, hour: 2, minute: 30)) == .unique(1_791_041_400))
    }
}
