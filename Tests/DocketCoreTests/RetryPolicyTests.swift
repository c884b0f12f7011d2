import DocketCore
import Testing

@Suite struct RetryPolicyTests {
    enum HandlerError: Error, Equatable {
        case transient
        case fatal
    }

    static func decide(
        _ policy: RetryPolicy, attempt: Int, of maxAttempts: Int, error: any Error = HandlerError.transient,
        seed: UInt64 = 1
    ) -> RetryDecision {
        var generator = SplitMix64(seed: seed)
        let context = RetryContext(jobName: "mail", attempt: attempt, maxAttempts: maxAttempts, error: error)
        return policy.decision(for: context, using: &generator)
    }

    @Test func defaultPolicyUsesTheDefaultStrategy() throws {
        #expect(RetryPolicy.default.strategy == .default)
        guard case .retry(let delay) = Self.decide(.default, attempt: 1, of: 20) else {
            Issue.record("the default policy must retry attempt 1 of 20")
            return
        }
        #expect(delay <= .seconds(1) && delay >= .milliseconds(900))
    }

    @Test(arguments: [(3, 3), (4, 3), (1, 1), (1, 0), (0, 0), (5, -1)])
    func spentAttemptsDiscardWhateverTheStrategy(attempt: Int, maxAttempts: Int) {
        for strategy in [RetryStrategy.default, .fixed(.zero), .mergent, .none] {
            #expect(Self.decide(.strategy(strategy), attempt: attempt, of: maxAttempts) == .discard)
        }
        let eager = RetryPolicy.custom { _ in .retry(after: .zero) }
        #expect(Self.decide(eager, attempt: attempt, of: maxAttempts) == .discard)
    }

    @Test func strategyDelayBecomesTheDecision() {
        #expect(Self.decide(.strategy(.mergent), attempt: 2, of: 10) == .retry(after: .seconds(5)))
        #expect(Self.decide(.strategy(.fixed(.seconds(9))), attempt: 9, of: 10) == .retry(after: .seconds(9)))
    }

    @Test func strategiesWithoutADelayDiscard() {
        #expect(Self.decide(.strategy(.none), attempt: 1, of: 10) == .discard)
        #expect(Self.decide(.strategy(.ladder([])), attempt: 1, of: 10) == .discard)
    }

    @Test func customPolicySeesTheAttemptNameAndError() {
        let policy = RetryPolicy.custom { context in
            guard context.jobName == "mail", context.maxAttempts == 10,
                let error = context.error as? HandlerError, error == .transient
            else { return .discard }
            return .retry(after: .seconds(Int64(context.attempt) * 10))
        }
        #expect(policy.strategy == nil)
        #expect(Self.decide(policy, attempt: 1, of: 10) == .retry(after: .seconds(10)))
        #expect(Self.decide(policy, attempt: 7, of: 10) == .retry(after: .seconds(70)))
        #expect(Self.decide(policy, attempt: 7, of: 10, error: HandlerError.fatal) == .discard)
    }

    @Test func customNegativeDelayCountsAsZero() {
        let policy = RetryPolicy.custom { _ in .retry(after: .seconds(-30)) }
        #expect(Self.decide(policy, attempt: 1, of: 3) == .retry(after: .zero))
    }

    @Test func contextKnowsWhenAttemptsAreSpent() {
        #expect(!RetryContext(jobName: "a", attempt: 2, maxAttempts: 3, error: HandlerError.fatal).attemptsSpent)
        #expect(RetryContext(jobName: "a", attempt: 3, maxAttempts: 3, error: HandlerError.fatal).attemptsSpent)
    }
}
