import Docket
import DocketCore
import DocketTesting
import Testing

struct Boom: Error, CustomStringConvertible {
    var attempt: Int
    var description: String { "boom on attempt \(attempt)" }
}

@Suite(.timeLimit(.minutes(1)))
struct RetryTests {
    /// Fails every attempt and returns the run-at of each retry the scheduler announced.
    private func retrySchedule(policy: RetryPolicy, maxAttempts: Int, seed: UInt64 = 0) async throws -> (start: Timestamp, runAts: [Timestamp], info: Job) {
        let harness = try SchedulerTestHarness(seed: seed)
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: policy)) { _, context in
            throw Boom(attempt: context.attempt)
        }
        let start = harness.clock.wallTimestamp
        let id = try await harness.note("x", options: JobOptions(maxAttempts: maxAttempts))
        harness.start()
        var runAts: [Timestamp] = []
        for _ in 1..<maxAttempts {
            let retry = try #require(await harness.next(.retryScheduled, of: id))
            let runAt = try #require(retry.runAtTimestamp)
            runAts.append(runAt)
            harness.clock.advance(by: runAt.duration(since: harness.clock.wallTimestamp))
        }
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.attempt == maxAttempts)
        let info = try #require(try await harness.scheduler.job(id))
        try await harness.stop()
        return (start, runAts, info)
    }

    @Test func fixedDelayRetriesAtTheSameInterval() async throws {
        let (start, runAts, info) = try await retrySchedule(policy: .strategy(.fixed(.seconds(10))), maxAttempts: 3)
        #expect(runAts == [start + .seconds(10), start + .seconds(20)])
        #expect(info.state == .discarded)
        #expect(info.attempt == 3)
        #expect(info.attempts.map(\.outcome) == [.retried, .retried, .discarded])
        #expect(info.attempts.map(\.error) == ["boom on attempt 1", "boom on attempt 2", "boom on attempt 3 (attempt 3 of 3: no attempts left)"])
    }

    @Test func mergentLadderRetriesOnItsSteps() async throws {
        let (start, runAts, _) = try await retrySchedule(policy: .strategy(.mergent), maxAttempts: 5)
        let steps: [Duration] = [.zero, .seconds(5), .seconds(300), .seconds(1800)]
        var expected: [Timestamp] = []
        var at = start
        for step in steps {
            at = at + step
            expected.append(at)
        }
        #expect(runAts == expected)
    }

    @Test func exponentialBackoffFollowsTheSeededJitter() async throws {
        let strategy = RetryStrategy.exponential(base: .seconds(2), factor: 3, cap: .seconds(100), jitter: 0.5)
        let (start, runAts, _) = try await retrySchedule(policy: .strategy(strategy), maxAttempts: 5, seed: 42)
        var generator = SplitMix64(seed: 42)
        var expected: [Timestamp] = []
        var at = start
        for attempt in 1...4 {
            at = at + strategy.delay(afterAttempt: attempt, using: &generator)!
            expected.append(at)
        }
        #expect(runAts == expected)
    }

    @Test func customPolicySeesTheAttemptAndTheError() async throws {
        let seen = Recorder<String>()
        let policy = RetryPolicy.custom { context in
            seen.append("\(context.attempt)/\(context.maxAttempts):\(context.error)")
            return context.attempt < 2 ? .retry(after: .seconds(7)) : .discard
        }
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: policy)) { _, context in
            throw Boom(attempt: context.attempt)
        }
        let start = harness.clock.wallTimestamp
        let id = try await harness.note("x", options: JobOptions(maxAttempts: 5))
        harness.start()
        let retry = await harness.next(.retryScheduled, of: id)
        #expect(retry?.runAtTimestamp == start + .seconds(7))
        harness.clock.advance(by: .seconds(7))
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.attempt == 2)
        #expect(seen.all == ["1/5:boom on attempt 1", "2/5:boom on attempt 2"])
        try await harness.stop()
    }

    @Test func noRetryDiscardsAfterTheFirstFailure() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.none))) { _, context in
            throw Boom(attempt: context.attempt)
        }
        let id = try await harness.note("once")
        harness.start()
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.attempt == 1)
        #expect(try await harness.scheduler.job(id)?.attempt == 1)
        try await harness.stop()
    }

    @Test func aPerJobStrategyOverridesTheHandlers() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(1))))) { _, context in
            if context.attempt == 1 { throw Boom(attempt: 1) }
        }
        let start = harness.clock.wallTimestamp
        let id = try await harness.note("x", options: JobOptions(retry: .fixed(.seconds(42))))
        harness.start()
        let retry = await harness.next(.retryScheduled, of: id)
        #expect(retry?.runAtTimestamp == start + .seconds(42))
        harness.clock.advance(by: .seconds(42))
        _ = await harness.next(.succeeded, of: id)
        try await harness.stop()
    }
}
