import Docket
import DocketTesting
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ShutdownTests {
    @Test func gracefulShutdownLetsRunningJobsFinish() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register(Note.self) { _, _ in await gate.wait() }
        let id = try await harness.note("x")
        let waiting = try await harness.note("waits", .after(.seconds(1)))
        try await testGracefulShutdown { trigger in
            harness.start()
            _ = await harness.next(.started, of: id)
            trigger.triggerGracefulShutdown()
            gate.open()
            _ = await harness.next(.succeeded, of: id)
            try await harness.waitForRunToReturn()
        }
        #expect(try await harness.scheduler.job(id)?.state == .completed)
        #expect(try await harness.scheduler.job(waiting)?.state == .scheduled)
        #expect(try await harness.scheduler.counts()[.running] == 0)
    }

    @Test func jobsStillRunningAfterTheGracePeriodGoBackWithoutSpendingTheAttempt() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register(Note.self) { _, _ in await gate.wait() }
        let id = try await harness.note("stubborn", options: JobOptions(maxAttempts: 1))
        try await testGracefulShutdown { trigger in
            harness.start()
            _ = await harness.next(.started, of: id)
            trigger.triggerGracefulShutdown()
            harness.clock.advance(by: .seconds(5))
            let released = await harness.next(.released, of: id)
            #expect(released?.attempt == 1)
            try await harness.waitForRunToReturn()
        }
        gate.open()
        let info = try #require(try await harness.scheduler.job(id))
        #expect(info.state == .scheduled)
        #expect(info.attempt == 0)
        #expect(info.attempts.map(\.outcome) == [.released])
    }

    @Test func cancellingTheRunTaskReleasesRunningJobsAtOnce() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in try await Task.sleep(for: .seconds(3600)) }
        let id = try await harness.note("x")
        harness.start()
        _ = await harness.next(.started, of: id)
        try await harness.stop()
        let info = try #require(try await harness.scheduler.job(id))
        #expect(info.state == .scheduled)
        #expect(info.attempt == 0)
    }
}
