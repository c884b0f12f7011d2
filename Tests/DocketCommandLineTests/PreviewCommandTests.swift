import DocketCommandLine
import DocketText
import Foundation
import Testing

/// `docket schedule preview` against the firings of independent implementations: cronsim for cron
/// and python-dateutil for RRULE, from the vectors in Tests/ReferenceData (made by the scripts beside
/// them), through the tool's exact interface.
@Suite struct PreviewCommandTests {
    static let referenceData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ReferenceData")

    struct CronVector: Decodable {
        var expr: String
        var zone: String
        var start: Int64
        var firings: [Int64]
    }

    struct RRuleVector: Decodable {
        var name: String
        var text: String
        var zone: String
        /// As `--after` takes it: the data gives UTC seconds, or an ISO 8601 instant as is.
        var after: String
        var firings: [Int64]

        enum CodingKeys: String, CodingKey { case name, text, zone, after, firings }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            text = try container.decode(String.self, forKey: .text)
            zone = try container.decode(String.self, forKey: .zone)
            firings = try container.decode([Int64].self, forKey: .firings)
            if let seconds = try? container.decode(Int64.self, forKey: .after) {
                after = PreviewCommandTests.iso(seconds)
            } else {
                after = try container.decode(String.self, forKey: .after)
            }
        }
    }

    static func iso(_ seconds: Int64) -> String {
        ISO8601.format(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test func cronFiringsMatchCronsim() async throws {
        struct File: Decodable { var vectors: [CronVector] }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: Self.referenceData.appendingPathComponent("cron-vectors.json")))
        // Every 25th vector: a few hundred expressions over the zones and years the data covers.
        let sample = stride(from: 0, to: file.vectors.count, by: 25).map { file.vectors[$0] }
        #expect(sample.count > 100)
        for vector in sample {
            let run = await docket(
                "schedule", "preview", "--cron", vector.expr, "--tz", vector.zone, "--after", Self.iso(vector.start),
                "--count", "\(vector.firings.count)")
            #expect(run.code == 0, "\(vector.expr) in \(vector.zone): \(run.errors)")
            #expect(run.lines == vector.firings.map(Self.iso), "\(vector.expr) in \(vector.zone) after \(Self.iso(vector.start))")
        }
    }

    @Test func rruleFiringsMatchDateutil() async throws {
        struct File: Decodable { var vectors: [RRuleVector] }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: Self.referenceData.appendingPathComponent("rrule-vectors.json")))
        let sample = stride(from: 0, to: file.vectors.count, by: 10).map { file.vectors[$0] } + file.vectors.filter { $0.after.contains("T") }
        #expect(sample.count > 100)
        for vector in sample where !vector.firings.isEmpty {
            let run = await docket(
                "schedule", "preview", "--rrule", vector.text, "--tz", vector.zone, "--after", vector.after,
                "--count", "\(vector.firings.count)")
            #expect(run.code == 0, "\(vector.name): \(run.errors)")
            #expect(Array(run.lines.prefix(vector.firings.count)) == vector.firings.map(Self.iso), "\(vector.name): \(vector.text)")
        }
    }

    @Test func dtstartGivenApartMeansTheSameAsInTheRule() async throws {
        let apart = await docket(
            "schedule", "preview", "--rrule", "FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0", "--dtstart", "2026-03-06T02:30:00",
            "--tz", "America/New_York", "--after", "2026-03-06T00:00:00Z", "--count", "4")
        let inline = await docket(
            "schedule", "preview", "--rrule", "DTSTART;TZID=America/New_York:20260306T023000\nRRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0",
            "--after", "2026-03-06T00:00:00Z", "--count", "4")
        #expect(apart.code == 0 && inline.code == 0, "\(apart.errors) \(inline.errors)")
        #expect(apart.output == inline.output)
        #expect(apart.lines.count == 4)
        // An instant given with Z is the same start read in the zone.
        let instant = await docket(
            "schedule", "preview", "--rrule", "FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0", "--dtstart", "2026-03-06T07:30:00Z",
            "--tz", "America/New_York", "--after", "2026-03-06T00:00:00Z", "--count", "4")
        #expect(instant.output == apart.output)
    }

    @Test func theOutputIsOneUTCInstantPerLineAndJSONOnRequest() async throws {
        let run = await docket("schedule", "preview", "--cron", "0 12 1 * MON", "--after", "2026-06-01T00:00:00Z", "--count", "3")
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.output == "2026-06-01T12:00:00Z\n2026-06-08T12:00:00Z\n2026-06-15T12:00:00Z\n")
        #expect(run.errors.isEmpty)
        let json = await docket("schedule", "preview", "--cron", "0 12 1 * MON", "--after", "2026-06-01T00:00:00Z", "--count", "3", "--json")
        #expect(try json.json() as? [String] == run.lines)
    }

    @Test(arguments: [
        (["--cron", "0 0 30 2 *"], "never fire"),
        (["--cron", "61 * * * *"], "61"),
        (["--rrule", "FREQ=FORTNIGHTLY"], "FORTNIGHTLY"),
        (["--cron", "@daily", "--tz", "Mars/Olympus_Mons"], "Mars/Olympus_Mons"),
        (["--cron", "@daily", "--after", "yesterday"], "yesterday"),
        (["--cron", "@daily", "--count", "0"], "--count"),
        (["--cron", "@daily", "--rrule", "FREQ=DAILY"], "exactly one"),
        ([], "exactly one"),
        (["--cron", "@daily", "--dtstart", "2026-01-01T00:00:00"], "--dtstart"),
    ])
    func aBadRuleOrOptionExitsTwoAndSaysWhy(arguments: [String], quoted: String) async throws {
        let run = await docket(["schedule", "preview"] + arguments)
        #expect(run.code == 2)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains(quoted), "\(run.errors)")
    }
}
