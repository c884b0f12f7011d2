/// What a retry decision gets to look at: the failed attempt and its job.
public struct RetryContext: Sendable {
    /// The job's name, which picked its handler.
    public var jobName: String
    /// The attempt that just failed, 1-based.
    public var attempt: Int
    /// Attempts the job may use in all.
    public var maxAttempts: Int
    /// What the attempt failed with.
    public var error: any Error

    /// Describes a failed attempt.
    public init(jobName: String, attempt: Int, maxAttempts: Int, error: any Error) {
        self.jobName = jobName
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.error = error
    }

    /// Whether the failed attempt was the last one allowed.
    public var attemptsSpent: Bool { attempt >= maxAttempts }
}

/// What becomes of a job whose attempt failed.
public enum RetryDecision: Sendable, Hashable {
    /// Schedule the job again this long after the failure.
    case retry(after: Duration)
    /// Stop trying: the job is discarded with its error.
    case discard
}

/// Decides whether and when a failed job runs again.
///
/// A policy wraps either a declarative ``RetryStrategy``, which can be stored and shown, or a closure
/// for decisions that depend on the error. Either way the attempt limit comes first: once a job has
/// spent its attempts it is discarded, and the closure is not asked. That keeps the limit a promise
/// no handler can break by accident.
public struct RetryPolicy: Sendable {
    private enum Rule: Sendable {
        case strategy(RetryStrategy)
        case custom(@Sendable (RetryContext) -> RetryDecision)
    }

    private let rule: Rule

    private init(rule: Rule) {
        self.rule = rule
    }

    /// A policy that waits as `strategy` says.
    public static func strategy(_ strategy: RetryStrategy) -> RetryPolicy {
        RetryPolicy(rule: .strategy(strategy))
    }

    /// A policy that asks `decide` about every failure that still has attempts left.
    ///
    /// The closure runs on the scheduler's path for finishing jobs, so it should be quick and must not
    /// block. A negative delay it returns counts as zero.
    public static func custom(_ decide: @escaping @Sendable (RetryContext) -> RetryDecision) -> RetryPolicy {
        RetryPolicy(rule: .custom(decide))
    }

    /// ``strategy(_:)`` with ``RetryStrategy/default``.
    public static let `default`: RetryPolicy = .strategy(.default)

    /// The declarative strategy, or nil for a ``custom(_:)`` policy.
    public var strategy: RetryStrategy? {
        switch rule {
        case .strategy(let strategy): strategy
        case .custom: nil
        }
    }

    /// Decides about the failure `context` describes.
    ///
    /// ``RetryDecision/discard`` when `context.attempt >= context.maxAttempts`, whatever the policy;
    /// otherwise the strategy's delay (discarding when it has none) or the closure's decision.
    ///
    /// - Parameter generator: the source of jitter; pass a seeded generator for reproducible runs.
    /// - Complexity: that of ``RetryStrategy/delay(afterAttempt:using:)`` or of the closure.
    public func decision(for context: RetryContext, using generator: inout some RandomNumberGenerator) -> RetryDecision {
        guard !context.attemptsSpent else { return .discard }
        switch rule {
        case .strategy(let strategy):
            guard let delay = strategy.delay(afterAttempt: context.attempt, using: &generator) else {
                return .discard
            }
            return .retry(after: delay)
        case .custom(let decide):
            switch decide(context) {
            case .retry(let delay): return .retry(after: Swift.max(.zero, delay))
            case .discard: return .discard
            }
        }
    }
}
