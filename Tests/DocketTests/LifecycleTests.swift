import Docket
import DocketTesting
import Foundation
import Testing

/// Stopping and readiness on the scheduler itself, without a ServiceGroup.
@Suite(.timeLimit(.minutes(1)))
struct LifecycleTests {
    @Test func shutdownLetsARunningJobFinishWithinItsGracePeriod() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register(Note.self) { _, _ in await gate.wait() }
        let id = try await harness.note("slow")
        harness.start()
        try await harness.scheduler.waitUntilRunning()
        _ = await harness.next(.started, of: id)
        let scheduler = harness.scheduler
        let stopping = Task { await scheduler.shutdown(gracePeriod: .seconds(60)) }
        gate.open()
        await stopping.value
        try await harness.waitForRunToReturn()
        #expect(try await harness.scheduler.job(id)?.state == .completed)
        await #expect(throws: DocketError.self) { try await scheduler.waitUntilRunning() }
    }

    @Test func shutdownWithoutGraceStopsAHandlerThatIgnoresCancellationAndGivesItsJobBack() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register(Note.self) { _, _ in await gate.wait() }
        let id = try await harness.note("stuck")
        harness.start()
        _ = await harness.next(.started, of: id)
        await harness.scheduler.shutdown(gracePeriod: .zero)
        try await harness.waitForRunToReturn()
        let job = try #require(try await harness.scheduler.job(id))
        #expect(job.state == .scheduled && job.attempt == 0)
        #expect(job.attempts.map(\.outcome) == [.released])
        gate.open()
    }

    @Test func shutdownOfASchedulerThatDoesNotRunReturnsAtOnce() async throws {
        let harness = try SchedulerTestHarness()
        await harness.scheduler.shutdown()
    }

    @Test func waitUntilRunningSaysWhyRunFailed() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ready.docket").path
        let first = try JobScheduler(path: path)
        let second = try JobScheduler(path: path)
        let running = Task { try await first.run() }
        try await first.waitUntilRunning()
        // A plain file where the runners directory should be: the second cannot register.
        let runners = path + "-runners"
        try FileManager.default.removeItem(atPath: runners)
        _ = FileManager.default.createFile(atPath: runners, contents: Data())
        await #expect(throws: DocketError.self) { try await second.run() }
        do {
            try await second.waitUntilRunning()
            Issue.record("a scheduler whose run() failed is not running")
        } catch DocketError.storage(let failure) {
            #expect(failure.kind == .cannotOpen)
        }
        await first.shutdown()
        try await running.value
        await second.close()
        await first.close()
    }

    @Test func waitingForReadinessEndsWhenTheWaiterIsCancelled() async throws {
        let scheduler = try JobScheduler.inMemory()
        let waiter = Task { try await scheduler.waitUntilRunning() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
