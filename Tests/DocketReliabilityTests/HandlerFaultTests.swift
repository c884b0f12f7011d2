import Docket
import DocketTesting
import Testing

private struct Refusal: Error, CustomStringConvertible {
    var attempt: Int
    var description: String { "refused on attempt \(attempt)" }
}

/// Handlers that misbehave. Timeouts that cancel a cooperative handler, and shutdown with a handler
/// that ignores cancellation, are in DocketTests' HandlerControlTests and ShutdownTests.
@Suite(.timeLimit(.minutes(1)))
struct HandlerFaultTests {
    /// A handler that always throws is discarded after exactly max attempts, each error kept, and never runs again.
    @Test func aHandlerThatAlwaysThrowsIsDiscardedAfterMaxAttemptsAndNeverRunsAgain() async throws {
        let harness = try SchedulerTestHarness()
        let runs = Recorder<Int>()
        try harness.scheduler.register("doomed", options: HandlerOptions(retry: .strategy(.fixed(.seconds(1))))) { context in
            runs.append(context.attempt)
            throw Refusal(attempt: context.attempt)
        }
        try harness.scheduler.register(Note.self) { _, _ in }
        let id = try await harness.scheduler.schedule(name: "doomed", options: JobOptions(maxAttempts: 3)).id
        harness.start()
        for _ in 1..<3 {
            _ = await harness.next(.retryScheduled, of: id)
            harness.clock.advance(by: .seconds(1))
        }
        _ = await harness.next(.discarded, of: id)
        harness.clock.advance(by: .seconds(3600))
        let probe = try await harness.scheduler.schedule(Note(text: "probe")).id
        _ = await harness.next(.succeeded, of: probe)
        #expect(runs.all == [1, 2, 3])
        let info = try #require(try await harness.scheduler.job(id))
        #expect(info.state == .discarded)
        #expect(info.attempts.map(\.error) == [
            "refused on attempt 1", "refused on attempt 2", "refused on attempt 3 (attempt 3 of 3: no attempts left)",
        ])
        try await harness.stop()
    }

    /// A hung handler that ignores cancellation fails at its timeout and frees its slot; its late return is ignored.
    @Test func aHungHandlerThatIgnoresCancellationFreesItsSlotAtTheTimeout() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let gate = Gate()
        let (returned, signal) = AsyncStream.makeStream(of: Void.self)
        try harness.scheduler.register("stuck", options: HandlerOptions(maxAttempts: 1, timeout: .seconds(2))) { _ in
            await gate.wait()
            signal.finish()
        }
        try harness.scheduler.register(Note.self) { _, _ in }
        let stuck = try await harness.scheduler.schedule(name: "stuck").id
        let next = try await harness.scheduler.schedule(Note(text: "needs the only slot")).id
        harness.start()
        _ = await harness.next(.started, of: stuck)
        harness.clock.advance(by: .seconds(2))
        let discarded = await harness.next(.discarded, of: stuck)
        #expect(discarded?.error?.hasPrefix("timed out after 2.0 seconds") == true)
        _ = await harness.next(.succeeded, of: next)

        gate.open()
        for await _ in returned {}
        let probe = try await harness.scheduler.schedule(Note(text: "after the late return")).id
        _ = await harness.next(.succeeded, of: probe)
        #expect(!harness.seen.contains { $0.jobID == stuck && $0.kind == .succeeded })
        #expect(try await harness.scheduler.job(stuck)?.state == .discarded)
        #expect(try await harness.scheduler.job(stuck)?.attempts.map(\.outcome) == [.discarded])
        try await harness.stop()
    }
}
