import Docket
import DocketCommandLine
import Foundation
import Testing

/// `docket tail`: each change of the fixture's history as a line, oldest first, and as JSON lines.
@Suite(.timeLimit(.minutes(1))) struct TailCommandTests {
    @Test func allPrintsTheHistoryTheJournalHoldsOldestFirst() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "tail", "--all", "--iterations", "1")
        #expect(run.code == 0, "\(run.errors)")
        // The fixture's history: job 1 failed once and completed a second later; a scheduled job
        // shows its latest due time.
        #expect(run.lines == [
            "2026-03-02T09:00:00Z  job 1  mail (default)  scheduled, due 2026-03-02T09:00:01Z",
            "2026-03-02T09:00:00Z  job 1  mail (default)  retried after attempt 1: the mail server answered 451",
            "2026-03-02T09:00:00Z  job 2  report (reports)  scheduled, due 2026-03-02T10:00:00Z",
            "2026-03-02T09:00:00Z  job 3  report (default)  scheduled, due 2026-03-02T09:00:00Z",
            "2026-03-02T09:00:00Z  job 3  report (default)  completed on attempt 1",
            "2026-03-02T09:00:00Z  job 4  mail (default)  scheduled, due 2026-03-02T09:01:00Z",
            "2026-03-02T09:00:00Z  job 4  mail (default)  cancelled",
            "2026-03-02T09:00:01Z  job 1  mail (default)  completed on attempt 2",
        ])
    }

    @Test func jsonIsOneObjectPerLine() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "tail", "--all", "--iterations", "1", "--json")
        #expect(run.code == 0, "\(run.errors)")
        let objects = try run.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["event"] as? String } == [
            "scheduled", "retried", "scheduled", "scheduled", "completed", "scheduled", "cancelled", "completed",
        ])
        #expect(objects.map { $0["job"] as? Int } == [1, 1, 2, 3, 3, 4, 4, 1])
        #expect(objects[1]["error"] as? String == "the mail server answered 451")
        #expect(objects[1]["attempt"] as? Int == 1 && objects[1]["at"] as? String == "2026-03-02T09:00:00Z")
        #expect(objects[2]["runAt"] as? String == "2026-03-02T10:00:00Z" && objects[2]["queue"] as? String == "reports")
    }

    @Test func withoutAllOnlyChangesAfterTheStartArePrinted() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "tail", "--iterations", "2", "--interval", "0.001")
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.output == "")
    }

    @Test func aBadIntervalIsAUsageError() async throws {
        let fixture = try await ToolFixture()
        let run = await docket("--journal", fixture.path, "tail", "--interval", "0")
        #expect(run.code == 2)
        #expect(run.errors.contains("--interval must be a positive number of seconds"))
    }
}
