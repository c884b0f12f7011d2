/// How a handler's attempt ended, as the scheduler observed it.
package enum AttemptEnd: Sendable {
    /// The handler returned normally.
    case succeeded
    /// The handler threw; the retry policy decides what follows.
    case failed(any Error)
    /// The handler ran past its timeout; counts as a failed attempt.
    case timedOut(Duration)
    /// The handler asked for the job to be discarded without retrying.
    case discardRequested(reason: String)
    /// The handler asked to run again after a delay without spending the attempt.
    case snoozeRequested(Duration)
    /// The handler was rate limited by what it calls: a snooze of `retryAfter` (the attempt is given
    /// back) whose attempt row says why.
    case rateLimited(retryAfter: Duration)
    /// The handler asked to be retried after a delay of its choosing; spends the attempt.
    case retryRequested(after: Duration, reason: String)
    /// The payload could not be decoded; retrying cannot help.
    case undecodablePayload(any Error)
    /// A graceful shutdown stopped the attempt; the attempt is given back.
    case stoppedByShutdown
}

/// Turns the end of an attempt into the journal change that records it.
///
/// Pure: the policy, the clock reading and the random generator are all passed in, so every
/// backoff schedule is testable without I/O.
package enum AttemptResolver {
    /// The change that records `end` for `job`, a running job on its current attempt.
    package static func change(
        for end: AttemptEnd, job: JobRecord, policy: RetryPolicy, now: Timestamp,
        using generator: inout some RandomNumberGenerator
    ) -> JobChange {
        func change(_ event: JobEvent, _ error: String? = nil) -> JobChange {
            JobChange(id: job.id, event: event, expectedAttempt: job.attempt, error: error)
        }
        switch end {
        case .succeeded:
            return change(.complete)
        case .discardRequested(let reason):
            return change(.discard, "discarded by handler: \(reason)")
        case .undecodablePayload(let error):
            return change(.discard, "payload could not be decoded: \(error)")
        case .snoozeRequested(let delay):
            return change(.snooze(runAt: now + max(delay, .zero)))
        case .rateLimited(let delay):
            return change(.snooze(runAt: now + max(delay, .zero)), "rate limited; retrying after \(max(delay, .zero))")
        case .stoppedByShutdown:
            return change(.release(runAt: now))
        case .retryRequested(let delay, let reason):
            guard job.attempt < job.maxAttempts else {
                return change(.discard, exhaustedMessage(reason, job))
            }
            return change(.retry(runAt: now + max(delay, .zero)), reason)
        case .failed(let error):
            return failure(String(describing: error), error, job: job, policy: policy, now: now, using: &generator)
        case .timedOut(let limit):
            let error = AttemptTimeout(limit: limit)
            return failure(error.description, error, job: job, policy: policy, now: now, using: &generator)
        }
    }

    private static func failure(
        _ text: String, _ error: any Error, job: JobRecord, policy: RetryPolicy, now: Timestamp,
        using generator: inout some RandomNumberGenerator
    ) -> JobChange {
        let context = RetryContext(jobName: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts, error: error)
        switch policy.decision(for: context, using: &generator) {
        case .retry(let delay) where job.attempt < job.maxAttempts:
            return JobChange(id: job.id, event: .retry(runAt: now + max(delay, .zero)), expectedAttempt: job.attempt, error: text)
        case .retry, .discard:
            let message = job.attempt < job.maxAttempts ? text : exhaustedMessage(text, job)
            return JobChange(id: job.id, event: .discard, expectedAttempt: job.attempt, error: message)
        }
    }

    private static func exhaustedMessage(_ text: String, _ job: JobRecord) -> String {
        "\(text) (attempt \(job.attempt) of \(job.maxAttempts): no attempts left)"
    }
}

/// The error recorded for an attempt that ran past its timeout.
package struct AttemptTimeout: Error, Sendable, Hashable, CustomStringConvertible {
    /// The timeout that was exceeded.
    package var limit: Duration

    /// A timeout of `limit`.
    package init(limit: Duration) {
        self.limit = limit
    }

    /// "timed out after …".
    package var description: String { "timed out after \(limit)" }
}
