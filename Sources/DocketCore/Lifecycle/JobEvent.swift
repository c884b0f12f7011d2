/// Something that happens to a job. ``JobLifecycle`` says whether it may, and what follows.
package enum JobEvent: Sendable, Hashable {
    /// A scheduler takes a due job to run it; counts an attempt.
    case claim
    /// The handler returned normally.
    case complete
    /// The attempt failed and the job runs again at `runAt`.
    case retry(runAt: Timestamp)
    /// The attempt failed for good: attempts spent, or the handler refused the job.
    case discard
    /// The handler asked to run again at `runAt`; the attempt is given back.
    case snooze(runAt: Timestamp)
    /// A graceful shutdown stopped the attempt; the attempt is given back and the job runs at `runAt`.
    case release(runAt: Timestamp)
    /// Crash recovery found the job running under a dead instance; it runs again at `runAt` if attempts
    /// are left, else it is discarded.
    case rescue(runAt: Timestamp)
    /// A user cancels a scheduled or running job. A running job's attempt ends with it: the process
    /// that runs the attempt cancels its handler's task when it sees the change.
    case cancel
    /// A user moves a scheduled job to `runAt`; "run now" is a reschedule to the present.
    case reschedule(runAt: Timestamp)
    /// A user gives a job that ended without completing (discarded or cancelled) a fresh budget of
    /// attempts (as many again as it was allowed), to run at `runAt`; its attempts so far are kept.
    case revive(runAt: Timestamp)

    /// The event without its arguments, for messages and refusals.
    package var kind: Kind {
        switch self {
        case .claim: .claim
        case .complete: .complete
        case .retry: .retry
        case .discard: .discard
        case .snooze: .snooze
        case .release: .release
        case .rescue: .rescue
        case .cancel: .cancel
        case .reschedule: .reschedule
        case .revive: .revive
        }
    }

    /// The new run-at time the event carries, if any.
    package var runAt: Timestamp? {
        switch self {
        case .retry(let runAt), .snooze(let runAt), .release(let runAt), .rescue(let runAt),
            .reschedule(let runAt), .revive(let runAt):
            runAt
        case .claim, .complete, .discard, .cancel:
            nil
        }
    }

    /// The kinds of ``JobEvent``.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// ``JobEvent/claim``.
        case claim
        /// ``JobEvent/complete``.
        case complete
        /// ``JobEvent/retry(runAt:)``.
        case retry
        /// ``JobEvent/discard``.
        case discard
        /// ``JobEvent/snooze(runAt:)``.
        case snooze
        /// ``JobEvent/release(runAt:)``.
        case release
        /// ``JobEvent/rescue(runAt:)``.
        case rescue
        /// ``JobEvent/cancel``.
        case cancel
        /// ``JobEvent/reschedule(runAt:)``.
        case reschedule
        /// ``JobEvent/revive(runAt:)``.
        case revive

        /// The states a job must be in for this event to apply.
        package var expectedStates: [JobState] {
            switch self {
            case .claim, .reschedule: [.scheduled]
            case .cancel: [.scheduled, .running]
            case .complete, .retry, .discard, .snooze, .release, .rescue: [.running]
            case .revive: [.discarded, .cancelled]
            }
        }
    }
}
