import Docket
import DocketCore
import DocketTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct HandlerControlTests {
    @Test func snoozeRunsAgainLaterWithoutSpendingAnAttempt() async throws {
        let harness = try SchedulerTestHarness()
        let attempts = Recorder<Int>()
        try harness.scheduler.register(Note.self) { _, context in
            attempts.append(context.attempt)
            if attempts.all.count == 1 { throw JobControl.snooze(.seconds(30)) }
        }
        let start = harness.clock.wallTimestamp
        let id = try await harness.note("x", options: JobOptions(maxAttempts: 1))
        harness.start()
        let snoozed = await harness.next(.snoozed, of: id)
        #expect(snoozed?.runAtTimestamp == start + .seconds(30))
        harness.clock.advance(by: .seconds(30))
        _ = await harness.next(.succeeded, of: id)
        #expect(attempts.all == [1, 1])
        let info = try #require(try await harness.scheduler.job(id))
        #expect(info.attempt == 1)
        #expect(info.attempts.map(\.outcome) == [.snoozed, .completed])
        try await harness.stop()
    }

    @Test func discardEndsTheJobWithoutRetrying() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in throw JobControl.discard(reason: "customer deleted") }
        let id = try await harness.note("x")
        harness.start()
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.error == "discarded by handler: customer deleted")
        #expect(try await harness.scheduler.job(id)?.attempt == 1)
        try await harness.stop()
    }

    @Test func retryAfterUsesTheHandlersDelay() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, context in
            if context.attempt == 1 { throw JobControl.retry(after: .seconds(12), reason: "rate limited") }
        }
        let start = harness.clock.wallTimestamp
        let id = try await harness.note("x")
        harness.start()
        let retry = await harness.next(.retryScheduled, of: id)
        #expect(retry?.runAtTimestamp == start + .seconds(12))
        #expect(retry?.error == "rate limited")
        harness.clock.advance(by: .seconds(12))
        let done = await harness.next(.succeeded, of: id)
        #expect(done?.attempt == 2)
        try await harness.stop()
    }

    @Test func anUndecodablePayloadIsDiscardedAtOnce() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let id = try await harness.scheduler.schedule(name: Note.jobName, payload: Array("not json".utf8)).id
        harness.start()
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.attempt == 1)
        #expect(discarded?.error?.contains("could not be decoded") == true)
        try await harness.stop()
    }

    @Test func aTimeoutCancelsTheHandlerAndCountsAsAFailedAttempt() async throws {
        let harness = try SchedulerTestHarness()
        let cancelled = Recorder<Bool>()
        try harness.scheduler.register(
            Note.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(1))), maxAttempts: 2, timeout: .seconds(5))
        ) { _, _ in
            await withTaskCancellationHandler {
                await Gate().wait()
            } onCancel: {
                cancelled.append(true)
            }
        }
        let id = try await harness.note("slow")
        harness.start()
        _ = await harness.next(.started, of: id)
        harness.clock.advance(by: .seconds(5))
        let failed = await harness.next(.failed, of: id)
        #expect(failed?.error == "timed out after 5.0 seconds")
        #expect(failed?.attempt == 1)
        #expect(cancelled.all == [true])
        _ = await harness.next(.retryScheduled, of: id)
        harness.clock.advance(by: .seconds(1))
        _ = await harness.next(.started, of: id)
        harness.clock.advance(by: .seconds(5))
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.attempt == 2)
        try await harness.stop()
    }

    @Test func aHandlerThatIgnoresCancellationStillTimesOut() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register(Note.self, options: HandlerOptions(maxAttempts: 1, timeout: .seconds(2))) { _, _ in
            await gate.wait()
        }
        let id = try await harness.note("stubborn")
        harness.start()
        _ = await harness.next(.started, of: id)
        harness.clock.advance(by: .seconds(2))
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.error?.contains("timed out after 2.0 seconds") == true)
        gate.open()
        try await harness.stop()
    }
}
