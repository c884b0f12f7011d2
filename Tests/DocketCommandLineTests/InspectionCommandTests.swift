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
        #expect(firstPage["next"] as? Int == 1)
        let second = await docket("jobs", "list", "--journal", fixture.path, "--state", "completed", "--after", "1", "--name", "report")
        #expect(second.lines.count == 2 && second.lines[1].hasPrefix("3   completed  report"), "\(second.output)")

        let human = await docket("jobs", "list", "--journal", fixture.path, "--state", "completed", "--limit", "1")
        #expect(human.lines.last == "more: --after 1")
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
        #expect(run.lines.count == 3)
        #expect(run.lines[0].hasPrefix("journal:   \(fixture.path) at "))
        #expect(run.lines[1] == "jobs:      scheduled 1, running 0, completed 2, discarded 0, cancelled 1 (total 4)")
        #expect(run.lines[2] == "schedules: active 1, paused 0, removed 0")
        let json = try #require(try await docket("stats", "--journal", fixture.path, "--json").json() as? [String: Any])
        #expect(json["jobs"] as? [String: Int] == ["scheduled": 1, "running": 0, "completed": 2, "discarded": 0, "cancelled": 1, "total": 4])
        #expect(json["schedules"] as? [String: Int] == ["active": 1, "paused": 0, "removed": 0])
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
        let runnerNote = (try? String(contentsOfFile: fixture.path + "-runner", encoding: .utf8)) ?? ""
        #expect(runnerNote.isEmpty)
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
