import Docket
import DocketTesting
import Foundation
import Testing

/// `JobScheduler.retry(_:at:)`: an operator runs a discarded or cancelled job again.
@Suite struct RetryCommandTests {
    static func scheduler() throws -> (JobScheduler, ManualClock) {
        let clock = ManualClock(wallTime: Date(timeIntervalSince1970: 1_772_442_000))
        return (try JobScheduler.inMemory(configuration: .testing(clock: clock)), clock)
    }

    @Test func aDiscardedJobRunsAgainWithAFreshBudgetAndKeepsItsHistory() async throws {
        let (scheduler, _) = try Self.scheduler()
        let runs = Recorder<Int>()
        try scheduler.register("sync", options: HandlerOptions(maxAttempts: 2)) { context in
            runs.append(context.attempt)
            if runs.all.count <= 2 { throw SyncError() }
        }
        let id = try await scheduler.schedule(name: "sync").id
        _ = try await scheduler.drainDueJobs(includingScheduled: true, recursively: true)
        #expect(try await scheduler.job(id)?.state == .discarded)

        try await scheduler.retry(id)
        let retried = try #require(try await scheduler.job(id))
        #expect(retried.state == .scheduled && retried.attempt == 2 && retried.maxAttempts == 4)
        #expect(retried.finishedAt == nil)
        let drained = try await scheduler.drainDueJobs()
        #expect(drained.succeeded == 1)
        let done = try #require(try await scheduler.job(id))
        #expect(done.state == .completed && done.attempt == 3)
        #expect(done.attempts.map(\.outcome) == [.retried, .discarded, .completed])
        #expect(runs.all == [1, 2, 3])
        await scheduler.close()
    }

    @Test func aCancelledJobCanBeRetriedLater() async throws {
        let (scheduler, clock) = try Self.scheduler()
        try scheduler.register("sync") { _ in }
        let id = try await scheduler.schedule(name: "sync", .after(.seconds(60))).id
        try await scheduler.cancel(id)
        try await scheduler.retry(id, at: .after(.seconds(3600)))
        let job = try #require(try await scheduler.job(id))
        #expect(job.state == .scheduled)
        #expect(job.runAt == clock.wallClock.now().addingTimeInterval(3600))
        await scheduler.close()
    }

    @Test func onlyEndedJobsThatDidNotCompleteCanBeRetried() async throws {
        let (scheduler, _) = try Self.scheduler()
        try scheduler.register("sync") { _ in }
        let scheduled = try await scheduler.schedule(name: "sync", .after(.seconds(60))).id
        await #expect { try await scheduler.retry(scheduled) } throws: { error in
            guard case DocketError.jobNotRetryable(scheduled, state: .scheduled) = error else { return false }
            return "\(error)".contains("only discarded and cancelled jobs can be retried")
        }
        let completed = try await scheduler.schedule(name: "sync").id
        _ = try await scheduler.drainDueJobs()
        await #expect { try await scheduler.retry(completed) } throws: { error in
            if case DocketError.jobNotRetryable(completed, state: .completed) = error { return true }
            return false
        }
        await #expect { try await scheduler.retry(JobID(999)) } throws: { error in
            if case DocketError.jobNotFound(JobID(999)) = error { return true }
            return false
        }
        await scheduler.close()
    }

    @Test func aJobWhoseUniqueKeyIsHeldAgainIsNotRetried() async throws {
        let (scheduler, _) = try Self.scheduler()
        try scheduler.register("sync") { _ in }
        let first = try await scheduler.schedule(name: "sync", .after(.seconds(60)), options: JobOptions(uniqueKey: "nightly")).id
        try await scheduler.cancel(first)
        let second = try await scheduler.schedule(name: "sync", .after(.seconds(60)), options: JobOptions(uniqueKey: "nightly")).id
        #expect(second != first)
        await #expect { try await scheduler.retry(first) } throws: { error in
            if case DocketError.uniqueKeyHeld(first, holder: second) = error { return true }
            return false
        }
        #expect(try await scheduler.job(first)?.state == .cancelled)
        try await scheduler.cancel(second)
        try await scheduler.retry(first)
        #expect(try await scheduler.job(first)?.state == .scheduled)
        await scheduler.close()
    }
}

private struct SyncError: Error {}
