import Docket
import DocketCore
import Foundation
import Testing

/// Checks every vector of `Tests/ReferenceData/rrule-vectors.json`, computed by python-dateutil
/// (see `make-rrule-vectors.py` beside it), against Docket's expansion in the system's real zones.
@Suite struct RRuleReferenceTests {
    struct Vector: Decodable, Sendable {
        var name: String
        var text: String
        var zone: String
        var after: Int64
        var firings: [Int64]

        enum CodingKeys: String, CodingKey { case name, text, zone, after, firings }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            text = try container.decode(String.self, forKey: .text)
            zone = try container.decode(String.self, forKey: .zone)
            firings = try container.decode([Int64].self, forKey: .firings)
            // `after` is UTC seconds, or an ISO 8601 instant such as 2029-06-01T12:34:56Z.
            if let seconds = try? container.decode(Int64.self, forKey: .after) {
                after = seconds
            } else {
                let text = try container.decode(String.self, forKey: .after)
                guard let date = ISO8601DateFormatter().date(from: text) else {
                    throw DecodingError.dataCorruptedError(forKey: .after, in: container, debugDescription: "not ISO 8601: \(text)")
                }
                after = Int64(date.timeIntervalSince1970)
            }
        }
    }

    struct Invalid: Decodable, Sendable {
        var name: String
        var text: String
        var dateutil: String
    }

    struct File: Decodable, Sendable {
        var firingsPerVector: Int
        var vectors: [Vector]
        var invalid: [Invalid]
    }

    /// The data file, read once for all tests.
    static let loaded = Result { () throws -> File in
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ReferenceData/rrule-vectors.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }

    @Test func theFileHoldsEnoughVectors() throws {
        let file = try Self.loaded.get()
        #expect(file.vectors.count > 3_000)
        #expect(file.invalid.count > 60)
        #expect(Set(file.vectors.map(\.zone)) == ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])
    }

    @Test func everyVectorFiresAsDateutilSays() throws {
        let file = try Self.loaded.get()
        var zones: [String: SystemZoneRules] = [:]
        var failures = 0
        for vector in file.vectors {
            let zone = try zones[vector.zone] ?? SystemZoneRules(identifier: vector.zone)
            zones[vector.zone] = zone
            let schedule: RecurrenceRuleSet
            do {
                schedule = try RecurrenceRuleSet.parse(vector.text)
            } catch {
                Issue.record("\(vector.name): refused: \(error)\n\(vector.text)")
                failures += 1
                continue
            }
            let firings = schedule.nextFirings(after: vector.after, limit: file.firingsPerVector, in: zone)
            if firings != vector.firings {
                failures += 1
                if failures <= 25 {
                    Issue.record("\(vector.name) in \(vector.zone) after \(vector.after):\n\(vector.text)\nexpected \(vector.firings)\n     got \(firings)")
                }
            }
            if let first = vector.firings.first {
                #expect(schedule.nextFiring(after: vector.after, in: zone) == first, "\(vector.name)")
            }
        }
        #expect(failures == 0, "\(failures) of \(file.vectors.count) vectors differ")
    }

    @Test(arguments: [
        "DTSTART;TZID=America/New_York:20200101T000000\nRRULE:FREQ=SECONDLY",
        "DTSTART;TZID=America/New_York:20200101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=7",
        "DTSTART;TZID=America/New_York:20200101T000000\nRRULE:FREQ=SECONDLY;INTERVAL=13;BYHOUR=9,17;BYDAY=MO,TU,WE,TH,FR",
        "DTSTART;TZID=America/New_York:20200101T000000\nRRULE:FREQ=MINUTELY;COUNT=1000000",
    ])
    func aRuleStartedYearsAgoAnswersQuicklyInARealZone(text: String) throws {
        let zone = try SystemZoneRules(identifier: "America/New_York")
        let schedule = try RecurrenceRuleSet.parse(text)
        // Across the 2021 spring-forward change, and in an ordinary week.
        for after: Int64 in [1_615_705_000, 1_616_000_000] {
            let rounds = 100
            let elapsed = ContinuousClock().measure {
                for _ in 0..<rounds { _ = schedule.nextFiring(after: after, in: zone) }
            }
            #expect(elapsed / rounds < .milliseconds(1), "\(text) after \(after)")
            #expect(schedule.nextFiring(after: after, in: zone) != nil)
        }
    }

    @Test func everyInvalidScheduleIsRefused() throws {
        for invalid in try Self.loaded.get().invalid {
            do {
                let schedule = try RecurrenceRuleSet.parse(invalid.text)
                Issue.record("\(invalid.name): accepted as \(schedule.rule)\n\(invalid.text)")
            } catch {
                #expect(!error.reason.isEmpty)
                // The quoted part comes from the text (lines and parts as written, or rebuilt
                // from the parsed rule).
                #expect(!error.description.isEmpty, "\(invalid.name)")
            }
        }
    }
}
