import Docket
import DocketCore
import Testing

@Suite struct SystemZoneRulesTests {
    /// The transitions of 2026 and 2030, as Python's zoneinfo computes them from tzdata (instant, offset before, after).
    @Test(arguments: [
        ("America/New_York", Int64(1_767_225_600), [(Int64(1_772_953_200), -18_000, -14_400), (1_793_512_800, -14_400, -18_000)]),
        ("Europe/London", 1_767_225_600, [(1_774_746_000, 0, 3_600), (1_792_890_000, 3_600, 0)]),
        ("Australia/Lord_Howe", 1_767_225_600, [(1_775_314_800, 39_600, 37_800), (1_791_041_400, 37_800, 39_600)]),
        ("America/New_York", 1_893_456_000, [(1_899_356_400, -18_000, -14_400), (1_919_916_000, -14_400, -18_000)]),
        ("Australia/Lord_Howe", 1_893_456_000, [(1_901_718_000, 39_600, 37_800), (1_917_444_600, 37_800, 39_600)]),
    ])
    func transitions(identifier: String, from start: Int64, expected: [(Int64, Int, Int)]) throws {
        let zone = try SystemZoneRules(identifier: identifier)
        var after = start
        for (instant, before, then) in expected {
            let next = try #require(zone.nextTransition(afterUTC: after))
            #expect(next == instant, "\(identifier) after \(after)")
            #expect(zone.offset(atUTC: next - 1) == before)
            #expect(zone.offset(atUTC: next) == then)
            after = next
        }
        #expect(zone.nextTransition(afterUTC: expected[0].0 - 1) == expected[0].0)
    }

    @Test(arguments: ["Asia/Kolkata", "UTC"])
    func zonesWithoutTransitions(identifier: String) throws {
        let zone = try SystemZoneRules(identifier: identifier)
        #expect(zone.nextTransition(afterUTC: 1_767_225_600) == nil)
        #expect(zone.offset(atUTC: 1_767_225_600) == (identifier == "UTC" ? 0 : 19_800))
    }

    @Test func resolvesAgainstTheSystemDatabase() throws {
        let zone = try SystemZoneRules(identifier: "America/New_York")
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 3, day: 8, hour: 2, minute: 30))
            == .skipped(gapStartUTC: 1_772_953_200, offsetBefore: -18_000, offsetAfter: -14_400))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 11, day: 1, hour: 1, minute: 30))
            == .repeated(first: 1_793_511_000, second: 1_793_514_600))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 7, day: 1, hour: 12)) == .unique(1_782_921_600))
    }

    @Test func refusesUnknownZones() {
        #expect(throws: ZoneLookupError.self) { try SystemZoneRules(identifier: "Mars/Olympus_Mons") }
        do {
            _ = try SystemZoneRules(identifier: "Mars/Olympus_Mons")
        } catch {
            #expect(error.reason == .unknownIdentifier)
            #expect(error.description.contains("Mars/Olympus_Mons"))
        }
        let missing = ZoneLookupError(identifier: "Europe/Paris", reason: .noZoneData(directory: "/usr/share/zoneinfo"))
        #expect(missing.description.contains("install tzdata"))
    }
}
