import Docket
import DocketTesting
import Testing

/// A handler that ignores cancellation and returns after its timeout ended its attempt: by then the
/// job's next attempt may run under the same job id, in the same process. The late return must end
/// nothing, and the next attempt keeps its own end and its own timeout.
@Suite(.timeLimit(.minutes(1)))
struct LateReturnTests {
    @Test func aTimedOutHandlerReturningLateLeavesTheJobsNextAttemptAlone() async throws {
        let harness = try SchedulerTestHarness { $0.defaultRetryPolicy = .strategy(.fixed(.zero)) }
        let firstRelease = Gate()
        let firstReturned = Gate()
        let secondStarted = Gate()
        try harness.scheduler.register("stubborn", options: HandlerOptions(timeout: .seconds(1))) { context in
            switch context.attempt {
            case 1:
                await firstRelease.wait()  // never looks at cancellation
                firstReturned.open()
            case 2:
                secondStarted.open()
                await Gate().wait()  // hangs past its timeout, never looks at cancellation
            default:
                return
            }
        }
        let job = try await harness.scheduler.schedule(name: "stubborn", options: JobOptions(maxAttempts: 3)).id
        harness.start()
        _ = await harness.next(.started, of: job)
        harness.clock.advance(by: .seconds(2))
        // Attempt 1 timed out; attempt 2 runs. Then attempt 1's handler returns, late.
        await secondStarted.wait()
        firstRelease.open()
        await firstReturned.wait()
        // The late return is handled on the runner's task right after the handler returns.
        for _ in 0..<200 { await Task.yield() }
        // Attempt 2's timeout still ends it, and attempt 3 completes the job.
        harness.clock.advance(by: .seconds(2))
        #expect(await harness.next(.succeeded, of: job) != nil)
        let record = try #require(try await harness.scheduler.job(job))
        #expect(record.state == .completed && record.attempt == 3)
        #expect(record.attempts.map(\.outcome) == [.retried, .retried, .completed], "\(record.attempts)")
        try await harness.stop()
    }
}
