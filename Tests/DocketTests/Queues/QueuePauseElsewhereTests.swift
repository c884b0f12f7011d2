import Docket
import DocketTesting
import Foundation
import Testing

/// A pause and a resume made by another process (another connection to the journal, as the tool
/// is) take effect in a running scheduler: a pause at its next claim, a resume within its change
/// check.
@Suite(.timeLimit(.minutes(1))) struct QueuePauseElsewhereTests {
    @Test func aPauseAndResumeByAnotherProcessReachTheRunningScheduler() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shared.docket").path
        let clock = ManualClock()
        var configuration = SchedulerConfiguration.testing(clock: clock)
        configuration.queues = [JobQueue("mail", maxConcurrentJobs: 4)]
        let runner = try JobScheduler(path: path, configuration: configuration)
        try runner.register("send") { _ in }
        let other = try JobScheduler(path: path, configuration: .testing(clock: clock))
        let succeeded = runner.events(of: [.succeeded])
        let task = Task { try await runner.run() }
        try await runner.waitUntilRunning()

        try await other.pauseQueue("mail", note: "from the tool")
        let jobs = try await other.schedule([
            JobRequest(name: "send", options: JobOptions(queue: "mail")), JobRequest(name: "send", options: JobOptions(queue: "other")),
        ])
        clock.advance(by: .milliseconds(25))
        // Both were due for one claim: only the other queue's job ran.
        _ = await firstEvent(in: succeeded) { $0.jobID == jobs[1].id }
        #expect(try await runner.job(jobs[0].id)?.state == .scheduled)

        try await other.resumeQueue("mail")
        clock.advance(by: .milliseconds(25))
        #expect(await firstEvent(in: succeeded) { $0.jobID == jobs[0].id } != nil)

        await runner.shutdown()
        try await task.value
        await other.close()
        await runner.close()
    }
}
