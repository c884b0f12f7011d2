import Docket
import DocketCommandLine
import Foundation
import Testing

/// `stats`, `jobs list` and `jobs show` on a journal of known history: the human output exactly,
/// and the JSON by field.
@Suite struct InspectionCommandTests {
    @Test func jobsListPrintsATableOfOneState() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "jobs", "list", "--state", "completed")
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.lines == [
            "ID  STATE      NAME    QUEUE    PRI  ATTEMPT  RUN AT                LAST ERROR",
            "1   completed  mail    default  0    2/5      2026-03-02T09:00:01Z  the mail server answered 451",
            "3   completed  report  default  0    1/20     2026-03-02T09:00:00Z",
        ])
        #expect(run.errors.isEmpty)
    }

    @Test func jobsListFiltersByNameAndQueueAndPages() async throws {
        let fixture = try await ToolFixture()
        let byQueue = await docket("jobs", "list", "--journal", fixture.path, "--queue", "reports", "--json")
        let page = try #require(try byQueue.json() as? [String: Any])
        let jobs = try #require(page["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["id"] as? Int } == [2])
        #expect(jobs.first?["queue"] as? String == "reports" && jobs.first?["state"] as? String == "scheduled")
        #expect(jobs.first?["runAt"] as? String == "2026-03-02T10:00:00Z")
        #expect(page["next"] == nil)

        let first = await docket("jobs", "list", "--journal", fixture.path, "--state", "completed", "--limit", "1", "--json")
        let firstPage = try #require(try first.json() as? [String: Any])
        #expect((firstPage["jobs"] as? [[String: Any]])?.map { $0["id"] as? Int } == [1])
        #expect(firstPage["next"] as? String == "completed:1")
        let second = await docket("jobs", "list", "--journal", fixture.path, "--state", "completed", "--after", "1", "--name", "report")
        #expect(second.lines.count == 2 && second.lines[1].hasPrefix("3   completed  report"), "\(second.output)")

        let human = await docket("jobs", "list", "--journal", fixture.path, "--state", "completed", "--limit", "1")
        #expect(human.lines.last == "more: --after completed:1")
        let resumed = await docket("jobs", "list", "--journal", fixture.path, "--after", "completed:1")
        #expect(resumed.lines.dropFirst().map { String($0.prefix(4)) } == ["3   ", "4   "], "\(resumed.output)")
    }

    /// Every filter is applied, states come in order, and the table and JSON say the same.
    @Test func jobsListAppliesEveryFilter() async throws {
        let fixture = try await ToolFixture()
        func ids(_ arguments: String...) async throws -> [Int] {
            let run = await docket(["jobs", "list", "--journal", fixture.path, "--json"] + arguments)
            #expect(run.code == 0, "\(arguments): \(run.errors)")
            let page = try #require(try run.json() as? [String: Any])
            return try #require(page["jobs"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
        }
        #expect(try await ids() == [2, 1, 3, 4])
        #expect(try await ids("--state", "cancelled,completed", "--name", "mail") == [1, 4])
        #expect(try await ids("--state", "scheduled", "--state", "cancelled") == [2, 4])
        #expect(try await ids("--queue", "reports", "--queue", "default", "--name", "report") == [2, 3])
        #expect(try await ids("--error", "451") == [1])
        #expect(try await ids("--error", "nothing like it") == [])
        #expect(try await ids("--run-after", "2026-03-02T09:00:30Z") == [2, 4])
        #expect(try await ids("--run-after", "2026-03-02T09:00:30Z", "--run-before", "2026-03-02T09:30:00Z") == [4])
        #expect(try await ids("--finished-after", "2026-03-02T09:00:01Z") == [1])
        #expect(try await ids("--finished-before", "2026-03-02T09:00:01Z") == [3, 4])
        #expect(try await ids("--schedule", "nightly") == [])

        let human = await docket("jobs", "list", "--journal", fixture.path, "--error", "451")
        #expect(human.lines == [
            "ID  STATE      NAME  QUEUE    PRI  ATTEMPT  RUN AT                LAST ERROR",
            "1   completed  mail  default  0    2/5      2026-03-02T09:00:01Z  the mail server answered 451",
        ])
    }

    /// Values the filters cannot take are usage errors: exit code 2, nothing printed on stdout.
    @Test func jobsListRefusesBadFiltersAsUsageErrors() async throws {
        let fixture = try await ToolFixture()
        let cases: [([String], String)] = [
            (["--state", "finished"], "--state takes"),
            (["--run-after", "2026-03-02T10:00:00Z", "--run-before", "2026-03-02T09:00:00Z"], "--run-before 2026-03-02T09:00:00Z is earlier than --run-after"),
            (["--finished-after", "2026-03-02T10:00:00Z", "--finished-before", "2026-03-02T09:00:00Z"], "is earlier than --finished-after"),
            (["--run-after", "tomorrow"], "--run-after takes an ISO 8601 instant"),
            (["--error", ""], "--error needs the text"),
            (["--after", "7"], "--after takes the cursor"),
            (["--after", "done:7"], "--after takes the cursor"),
            (["--limit", "0"], "--limit must be between 1 and 10000"),
        ]
        for (arguments, message) in cases {
            let run = await docket(["jobs", "list", "--journal", fixture.path] + arguments)
            #expect(run.code == 2, "\(arguments)")
            #expect(run.output.isEmpty && run.errors.contains(message), "\(arguments): \(run.errors)")
        }
    }

    @Test func jobsShowPrintsFieldsAttemptsAndThePayload() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "jobs", "show", "1", "--payload")
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.lines == [
            "id:          1",
            "name:        mail",
            "queue:       default",
            "priority:    0",
            "state:       completed",
            "attempt:     2 of 5",
            "run at:      2026-03-02T09:00:01Z",
            "created at:  2026-03-02T09:00:00Z",
            "finished at: 2026-03-02T09:00:01Z",
            "last error:  the mail server answered 451",
            #"payload:     {"to":"ada@example.com"}"#,
            "",
            "ATTEMPT  STARTED               ENDED                 OUTCOME    ERROR",
            "1        2026-03-02T09:00:00Z  2026-03-02T09:00:00Z  retried    the mail server answered 451",
            "2        2026-03-02T09:00:01Z  2026-03-02T09:00:01Z  completed",
        ])
        let json = try #require(try await docket("--journal", fixture.path, "jobs", "show", "1", "--payload", "--json").json() as? [String: Any])
        #expect(json["payloadText"] as? String == #"{"to":"ada@example.com"}"#)
        #expect(json["payloadBase64"] as? String == Data(#"{"to":"ada@example.com"}"#.utf8).base64EncodedString())
        let attempts = try #require(json["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["outcome"] as? String } == ["retried", "completed"])
        #expect(attempts.first?["error"] as? String == "the mail server answered 451")
        let withoutPayload = try #require(try await docket("--journal", fixture.path, "jobs", "show", "1", "--json").json() as? [String: Any])
        #expect(withoutPayload["payloadText"] == nil)
    }

    @Test func anUnknownJobFailsWithExitCodeOne() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "jobs", "show", "99")
        #expect(run.code == 1)
        #expect(run.output.isEmpty)
        #expect(run.errors == "docket: no job 99 in the journal\n")
    }

    @Test func statsCountsJobsByStateAndSchedulesByStatus() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("stats", "--journal", fixture.path)
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.lines.count == 12, "\(run.output)")
        #expect(run.lines[0].hasPrefix("journal:   \(fixture.path) at "))
        #expect(run.lines[1] == "jobs:      scheduled 1, running 0, completed 2, discarded 0, cancelled 1 (total 4)")
        // The job due first (job 2, due 2026-03-02T10:00:00Z) is late by the real clock's reading.
        let late = Int(Date().timeIntervalSince(ToolFixture.start.addingTimeInterval(3600)))
        let printed = run.lines[2].split(separator: " ").compactMap { Int($0) }.first ?? -1
        #expect(run.lines[2].hasPrefix("due:       oldest due job is ") && run.lines[2].hasSuffix(" s late"), "\(run.lines[2])")
        #expect(abs(printed - late) <= 60)
        #expect(run.lines[3] == "schedules: active 1, paused 0, removed 0")
        #expect(Array(run.lines[4...]) == [
            "",
            "QUEUE    SCHEDULED  RUNNING  COMPLETED  DISCARDED  CANCELLED  TOTAL",
            "default  0          0        2          0          1          3",
            "reports  1          0        0          0          0          1",
            "",
            "NAME    SCHEDULED  RUNNING  COMPLETED  DISCARDED  CANCELLED  TOTAL",
            "mail    0          0        1          0          1          2",
            "report  1          0        1          0          0          2",
        ])
        let json = try #require(try await docket("stats", "--journal", fixture.path, "--json").json() as? [String: Any])
        #expect(json["jobs"] as? [String: Int] == ["scheduled": 1, "running": 0, "completed": 2, "discarded": 0, "cancelled": 1, "total": 4])
        #expect(json["schedules"] as? [String: Int] == ["active": 1, "paused": 0, "removed": 0])
        let queues = try #require(json["queues"] as? [String: [String: Int]])
        #expect(queues["reports"] == ["scheduled": 1, "running": 0, "completed": 0, "discarded": 0, "cancelled": 0, "total": 1])
        #expect(Set(queues.keys) == ["default", "reports"])
        let names = try #require(json["names"] as? [String: [String: Int]])
        #expect(names["mail"] == ["scheduled": 0, "running": 0, "completed": 1, "discarded": 0, "cancelled": 1, "total": 2])
        #expect(abs((json["oldestDueLatenessSeconds"] as? Double ?? -1) - Double(late)) <= 60)
        let watched = await docket("stats", "--journal", fixture.path, "--watch", "--interval", "0.01", "--iterations", "2")
        #expect(watched.lines.filter { $0.hasPrefix("jobs:") }.count == 2)
    }

    @Test func readingCommandsLeaveTheJournalFileAsItWas() async throws {
        let fixture = try await ToolFixture()
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        for arguments in [["stats"], ["jobs", "list"], ["jobs", "show", "1", "--payload"], ["schedules", "list"], ["schedules", "show", "nightly"], ["doctor"]] {
            let run = await docket(["--journal", fixture.path] + arguments)
            #expect(run.code == 0, "\(arguments): \(run.errors)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path)) == before)
        let runners = (try? FileManager.default.contentsOfDirectory(atPath: fixture.path + "-runners")) ?? []
        #expect(runners.isEmpty)
    }

    @Test func aMissingJournalIsAFailureAndAMissingPathIsAUsageError() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID()).docket").path
        let run = await docket("--journal", missing, "stats")
        #expect(run.code == 1)
        #expect(run.errors == "docket: no journal at \(missing)\n")
        #expect(!FileManager.default.fileExists(atPath: missing))
        let noPath = await docket("stats")
        #expect(noPath.code == 2)
        #expect(noPath.errors.contains("--journal PATH"))
        let unknown = await docket("jobs", "frobnicate")
        #expect(unknown.code == 2)
        let help = await docket("--help")
        #expect(help.code == 0 && help.output.contains("USAGE: docket"))
    }
}
