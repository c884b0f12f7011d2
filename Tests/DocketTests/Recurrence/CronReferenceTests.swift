import Docket
import DocketCore
import Foundation
import Testing

/// Docket's cron against the firings that cronsim, an independent implementation reproducing Debian
/// cron, computed for thousands of expressions in five zones from 2026 to 2030
/// (`Tests/ReferenceData/make-cron-vectors.py` says how and where the two differ on purpose).
@Suite struct CronReferenceTests {
    struct Vector: Decodable {
        var expr: String
        var zone: String
        var start: Int64
        var firings: [Int64]
    }

    struct Reference: Decodable {
        var generator: String
        var vectors: [Vector]
        var invalid: [String]
        var refusedByDocketOnly: [String]
        var cronsimGaveUp: [String]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ReferenceData/cron-vectors.json")
        do {
            return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    static func iso(_ seconds: Int64) -> String {
        CivilDateTime(secondsSince1970: seconds, offset: 0).description + "Z"
    }

    @Test func matchesEveryVector() throws {
        let reference = Self.reference
        #expect(reference.vectors.count > 5_000)
        var zones: [String: SystemZoneRules] = [:]
        var mismatches: [String] = []
        var checked = 0
        for vector in reference.vectors {
            let zone: SystemZoneRules
            if let known = zones[vector.zone] {
                zone = known
            } else {
                zone = try SystemZoneRules(identifier: vector.zone)
                zones[vector.zone] = zone
            }
            let expression: CronExpression
            do {
                expression = try CronExpression(vector.expr)
            } catch {
                mismatches.append("\"\(vector.expr)\" refused: \(error)")
                continue
            }
            let actual = Array(expression.firings(after: vector.start, in: zone).prefix(vector.firings.count))
            checked += actual.count
            if actual != vector.firings {
                let index = zip(actual, vector.firings).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, vector.firings.count)
                let got = index < actual.count ? Self.iso(actual[index]) : "nothing"
                let want = index < vector.firings.count ? Self.iso(vector.firings[index]) : "nothing"
                mismatches.append("\"\(vector.expr)\" in \(vector.zone) after \(Self.iso(vector.start)): firing \(index) is \(got), cronsim says \(want)")
            }
        }
        #expect(checked > 50_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(reference.vectors.count) vectors differ:\n\(mismatches.prefix(25).joined(separator: "\n"))")
    }

    @Test func refusesWhatCronsimRefuses() {
        let reference = Self.reference
        #expect(reference.invalid.count > 50)
        for text in reference.invalid + reference.refusedByDocketOnly + reference.cronsimGaveUp {
            #expect(throws: CronParseError.self, "\"\(text)\" should be refused") { try CronExpression(text) }
        }
    }
}
