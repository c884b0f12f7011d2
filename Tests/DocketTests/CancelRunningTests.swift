import Docket
import DocketCore
import DocketSQLite
import DocketTesting
import Foundation
import Testing

/// Cancelling a running job: the journal ends it as cancelled at once, with its attempt recorded as
/// cancelled; the scheduler that runs it cancels its handler's task and frees its slot, whether the
/// cancel came from this process or another, and whether or not the handler honours cancellation.
@Suite(.timeLimit(.minutes(1)))
struct CancelRunningTests {
    @Test func cancellingARunningJobCancelsItsHandlerAndFreesItsSlot() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let sawCancellation = Gate()
        try harness.scheduler.register("slow") { _ in
            // Waits until its task is cancelled, then says so.
            await withTaskCancellationHandler {
                await sawCancellation.wait()
            } onCancel: {
                sawCancellation.open()
            }
            try Task.checkCancellation()
        }
        try harness.scheduler.register("next") { _ in }
        let slow = try await harness.scheduler.schedule(name: "slow").id
        harness.start()
        _ = await harness.next(.started, of: slow)

        try await harness.scheduler.cancel(slow)
        await sawCancellation.wait()
        let job = try #require(try await harness.scheduler.job(slow))
        #expect(job.state == .cancelled)
        #expect(job.attempts.map(\.outcome) == [.cancelled])
        #expect(job.attempts.first?.endedAt != nil)
        // The only slot is free again: the next job runs.
        let next = try await harness.scheduler.schedule(name: "next").id
        #expect(await harness.next(.succeeded, of: next) != nil)
        #expect(try await harness.scheduler.job(slow)?.state == .cancelled)
        try await harness.stop()
    }

    @Test func aHandlerThatIgnoresCancellationLosesItsSlotAndItsOutcome() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let release = Gate()
        let returned = Gate()
        try harness.scheduler.register("stubborn") { _ in
            await release.wait()  // never looks at cancellation
            returned.open()
        }
        try harness.scheduler.register("next") { _ in }
        let stubborn = try await harness.scheduler.schedule(name: "stubborn").id
        harness.start()
        _ = await harness.next(.started, of: stubborn)

        try await harness.scheduler.cancel(stubborn)
        let next = try await harness.scheduler.schedule(name: "next").id
        #expect(await harness.next(.succeeded, of: next) != nil)
        release.open()
        await returned.wait()
        // A later job's end is journaled after the stubborn handler returned: its return changed nothing.
        let last = try await harness.scheduler.schedule(name: "next").id
        #expect(await harness.next(.succeeded, of: last) != nil)
        let job = try #require(try await harness.scheduler.job(stubborn))
        #expect(job.state == .cancelled)
        #expect(job.attempts.map(\.outcome) == [.cancelled])
        #expect(!harness.seen.contains { $0.jobID == stubborn && $0.kind == .succeeded })
        try await harness.stop()
    }

    @Test func finishedJobsCannotBeCancelled() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register("quick") { _ in }
        let id = try await harness.scheduler.schedule(name: "quick").id
        harness.start()
        _ = await harness.next(.succeeded, of: id)
        do {
            try await harness.scheduler.cancel(id)
            Issue.record("cancelling a completed job must fail")
        } catch {
            guard case .jobNotCancellable(id, state: .completed) = error else { throw error }
            #expect(error.description == "job \(id) is completed: only scheduled and running jobs can be cancelled")
        }
        #expect(try await harness.scheduler.job(id)?.state == .completed)
        try await harness.stop()
    }

    /// "Another process" is a second scheduler on the same file, as in OtherProcessTests.
    @Test func aCancelFromAnotherProcessStopsTheHandlerThatRunsTheJob() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shared.docket").path
        let clock = ManualClock()
        var configuration = SchedulerConfiguration.testing(clock: clock)
        configuration.maxConcurrentJobs = 1
        let runner = try JobScheduler(path: path, configuration: configuration)
        let other = try JobScheduler(path: path, configuration: configuration)
        let sawCancellation = Gate()
        try runner.register("slow") { _ in
            await withTaskCancellationHandler {
                await sawCancellation.wait()
            } onCancel: {
                sawCancellation.open()
            }
        }
        let started = runner.events(of: [.started])
        let cancelled = runner.events(of: [.cancelled])
        let task = Task { try await runner.run() }
        try await runner.waitUntilRunning()
        let slow = try await runner.schedule(name: "slow").id
        #expect(await firstEvent(in: started) { $0.jobID == slow } != nil)

        try await other.cancel(slow)
        // The runner looks for other processes' changes every 25 ms of the manual clock.
        clock.advance(by: .milliseconds(50))
        await sawCancellation.wait()
        #expect(await firstEvent(in: cancelled) { $0.jobID == slow } != nil)
        let job = try #require(try await other.job(slow))
        #expect(job.state == .cancelled)
        #expect(job.attempts.map(\.outcome) == [.cancelled])

        await runner.shutdown()
        try await task.value
        await other.close()
        await runner.close()
    }
}
