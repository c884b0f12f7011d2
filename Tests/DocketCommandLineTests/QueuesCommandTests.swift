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
        #expect(listed.lines.count == 2)
        #expect(listed.lines.first?.hasPrefix("QUEUE") == true)
        #expect(listed.lines.last?.split(separator: " ", omittingEmptySubsequences: true).map(String.init).prefix(4)
            == ["reports", "2", "10", "per"])

        let paused = await docket("--journal", fixture.path, "queues", "pause", "reports", "--note", "warehouse migration")
        #expect(paused.code == 0, "\(paused.errors)")
        #expect(paused.lines == ["paused reports: 0 running, 1 scheduled"])
        let json = await docket("--journal", fixture.path, "queues", "list", "--json")
        let queues = try #require(try json.json() as? [[String: Any]])
        #expect(queues.first?["paused"] as? Bool == true)
        #expect(queues.first?["pauseNote"] as? String == "warehouse migration")
        #expect(queues.first?["maxConcurrentJobs"] as? Int == 2)

        let resumed = await docket("--journal", fixture.path, "queues", "resume", "reports")
        #expect(resumed.code == 0, "\(resumed.errors)")
        #expect(resumed.lines == ["resumed reports: 0 running, 1 scheduled"])

        let unknown = await docket("--journal", fixture.path, "queues", "pause", "nowhere")
        #expect(unknown.code == 1)
        #expect(unknown.errors.contains("no queue named 'nowhere'"))
    }

    @Test func aJournalWithoutDeclaredQueuesSaysSo() async throws {
        let fixture = try await ToolFixture()
        let listed = await docket("--journal", fixture.path, "queues")
        #expect(listed.code == 0, "\(listed.errors)")
        #expect(listed.lines == ["no declared queues: every queue is a label under the global limit"])
    }
}
