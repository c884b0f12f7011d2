/// The parts of a job that its lifecycle depends on.
package struct JobSnapshot: Sendable, Hashable {
    /// The job's state.
    package var state: JobState
    /// Attempts counted so far.
    package var attempt: Int
    /// Attempts allowed.
    package var maxAttempts: Int

    /// A snapshot of a job's state and attempts.
    package init(state: JobState, attempt: Int, maxAttempts: Int) {
        self.state = state
        self.attempt = attempt
        self.maxAttempts = maxAttempts
    }

    /// Whether another attempt may be claimed.
    package var hasAttemptsLeft: Bool { attempt < maxAttempts }
}

/// Why an event was refused. Nothing changed.
package struct TransitionRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The job, where a store refused it; nil from ``JobLifecycle`` alone.
    package var jobID: JobID?
    /// The event that was refused.
    package var event: JobEvent.Kind
    /// What was wrong.
    package var reason: Reason

    /// What was wrong.
    package enum Reason: Sendable, Hashable {
        /// The job is in another state than the event needs.
        case wrongState(JobState)
        /// The job is in the right state but on another attempt than expected: someone else moved it.
        case attemptMismatch(expected: Int, actual: Int)
        /// A retry or claim with no attempts left; the job must be discarded instead.
        case attemptsExhausted(attempt: Int, maxAttempts: Int)
        /// No job has this id.
        case notFound
        /// Reviving the job would schedule a second job with the unique key that job `holder` holds.
        case uniqueKeyHeld(holder: JobID)
    }

    /// A refusal of `event`, for `jobID` when known.
    package init(jobID: JobID? = nil, event: JobEvent.Kind, reason: Reason) {
        self.jobID = jobID
        self.event = event
        self.reason = reason
    }

    /// What was refused and why, in words.
    package var description: String {
        let job = jobID.map { "job \($0)" } ?? "the job"
        switch reason {
        case .wrongState(let state):
            let needed = event.expectedStates.map(\.rawValue).joined(separator: " or ")
            return "cannot \(event.rawValue) \(job): it is \(state), and \(event.rawValue) needs it \(needed)"
        case .attemptMismatch(let expected, let actual):
            return "cannot \(event.rawValue) \(job): expected attempt \(expected) but it is on attempt \(actual)"
        case .attemptsExhausted(let attempt, let maxAttempts):
            return "cannot \(event.rawValue) \(job): attempt \(attempt) of \(maxAttempts) was the last"
        case .notFound:
            return "cannot \(event.rawValue) \(job): no such job"
        case .uniqueKeyHeld(let holder):
            return "cannot \(event.rawValue) \(job): job \(holder) holds its unique key"
        }
    }
}

/// The job state machine: given a job and an event, the job after the event, or why not.
///
/// Pure and total: every (state, event) pair has an answer, so stores and the scheduler never guess.
package enum JobLifecycle {
    /// Applies `event` to `job`.
    ///
    /// - Returns: the job after the event, or a refusal that says why the event does not apply.
    /// - Complexity: O(1).
    package static func apply(_ event: JobEvent, to job: JobSnapshot) -> Result<JobSnapshot, TransitionRefusal> {
        let kind = event.kind
        guard kind.expectedStates.contains(job.state) else {
            return .failure(TransitionRefusal(event: kind, reason: .wrongState(job.state)))
        }
        var next = job
        switch event {
        case .claim:
            guard job.hasAttemptsLeft else { return .failure(exhausted(kind, job)) }
            next.state = .running
            next.attempt += 1
        case .complete:
            next.state = .completed
        case .retry:
            guard job.hasAttemptsLeft else { return .failure(exhausted(kind, job)) }
            next.state = .scheduled
        case .discard:
            next.state = .discarded
        case .snooze, .release:
            next.state = .scheduled
            next.attempt = max(0, job.attempt - 1)
        case .rescue:
            next.state = job.hasAttemptsLeft ? .scheduled : .discarded
        case .cancel:
            next.state = .cancelled
        case .reschedule:
            break
        case .revive:
            next.state = .scheduled
            next.maxAttempts = job.attempt + job.maxAttempts
        }
        return .success(next)
    }

    private static func exhausted(_ kind: JobEvent.Kind, _ job: JobSnapshot) -> TransitionRefusal {
        TransitionRefusal(event: kind, reason: .attemptsExhausted(attempt: job.attempt, maxAttempts: job.maxAttempts))
    }
}
