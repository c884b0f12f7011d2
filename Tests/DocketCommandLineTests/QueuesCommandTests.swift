import Docket
import DocketCommandLine
import DocketTesting
import Foundation
import Testing

/// `docket queues`: the listing, and pause and resume from outside the process that declares them.
@Suite struct QueuesCommandTests {
    @Test func listsPausesAndResumesADeclaredQueue() async throws {
        let fixture = try await ToolFixture()
        var configuration = SchedulerConfiguration.testing(clock: ManualClock(wallTime: ToolFixture.start))
        configuration.queues = [JobQueue("reports", maxConcurrentJobs: 2, rateLimit: .init(starts: 10, per: .seconds(60)))]
        let declaring = try JobScheduler(path: fixture.path, configuration: configuration)
        // A declared queue becomes known to the journal by its first pause (or by run()).
        try await declaring.pauseQueue("reports")
        try await declaring.resumeQueue("reports")
        await declaring.close()

        let listed = await docket("--journal", fixture.path, "queues")
        #expect(listed.code == 0, "\(listed.errors)")
        // The declared queue, and `default`, known by its jobs though never declared.
        #expect(listed.lines.count == 3)
        #expect(listed.lines.first?.hasPrefix("QUEUE") == true)
        let rows = listed.lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first.map { [$0[0], $0[1], $0[2]] } == ["default", "-", "-"])
        #expect(rows.last?.prefix(4) == ["reports", "2", "10", "per"])

        let paused = await docket("--journal", fixture.path, "queues", "pause", "reports", "--note", "warehouse migration")
        #expect(paused.code == 0, "\(paused.errors)")
        #expect(paused.lines == ["paused reports: 0 running, 1 scheduled"])
        let json = await docket("--journal", fixture.path, "queues", "list", "--json")
        let queues = try #require(try json.json() as? [[String: Any]])
        #expect(queues.last?["paused"] as? Bool == true)
        #expect(queues.last?["pauseNote"] as? String == "warehouse migration")
        #expect(queues.last?["maxConcurrentJobs"] as? Int == 2)

        let resumed = await docket("--journal", fixture.path, "queues", "resume", "reports")
        #expect(resumed.code == 0, "\(resumed.errors)")
        #expect(resumed.lines == ["resumed reports: 0 running, 1 scheduled"])

        let unknown = await docket("--journal", fixture.path, "queues", "pause", "nowhere")
        #expect(unknown.code == 1)
        #expect(unknown.errors.contains("no queue named 'nowhere'"))
    }

    /// A queue used only as a label is listed by its jobs, with its running and scheduled counts,
    /// and can be paused.
    @Test func everyQueueWithJobsIsListedAndCanBePaused() async throws {
        let fixture = try await ToolFixture()
        let listed = await docket("--journal", fixture.path, "queues")
        #expect(listed.code == 0, "\(listed.errors)")
        let rows = listed.lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.map { $0[0] } == ["default", "reports"], "\(listed.lines)")
        #expect(rows.last.map { Array($0[1...5]) } == ["-", "-", "0", "1", "not"], "\(listed.lines)")
        let paused = await docket("--journal", fixture.path, "queues", "pause", "reports")
        #expect(paused.code == 0, "\(paused.errors)")
        #expect(paused.lines == ["paused reports: 0 running, 1 scheduled"])
    }

    @Test func aJournalWithoutJobsOrQueuesSaysSo() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-queues-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("empty.docket").path
        let empty = try JobScheduler(path: path)  // creates the journal
        await empty.close()
        let listed = await docket("--journal", path, "queues")
        #expect(listed.code == 0, "\(listed.errors)")
        #expect(listed.lines == ["no queues: the journal has no jobs and declares no queue"])
    }
}
