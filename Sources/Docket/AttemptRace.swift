import DocketCore

/// One attempt, racing its handler against its timeout and against shutdown; the first to finish
/// decides how the attempt ended, and `onEnd` hears it exactly once, with whether the handler ended it.
///
/// The handler runs in the task that calls ``run(_:startLog:)``, a runner that runs attempts one
/// after another (``AttemptRunners``), so an attempt costs no task of its own. A handler that ignores
/// cancellation cannot hold the attempt hostage: on timeout or shutdown the attempt ends at once and
/// the runner's task is cancelled; the runner leaves when the handler finally returns, and its late
/// outcome is ignored. The timeout is watched by the scheduler's ``TimeoutMonitor``, not by a task
/// per attempt.
final class AttemptRace: Sendable {
    private struct State {
        var ended = false
        /// The task running the handler, while it runs: the task to cancel if the attempt ends
        /// otherwise.
        var runner: RunningTask?
        var watch: TimeoutMonitor.Watch?
    }

    // Guards the single resolution: exactly one of handler, timer or shutdown reports the end.
    private let state = Locked(State())
    private let timeouts: TimeoutMonitor
    private let onEnd: @Sendable (AttemptEnd, _ byHandler: Bool) -> Void

    init(timeouts: TimeoutMonitor, onEnd: @escaping @Sendable (AttemptEnd, _ byHandler: Bool) -> Void) {
        self.timeouts = timeouts
        self.onEnd = onEnd
    }

    /// Runs the attempt's handler in the current task. Returns true when the handler ended the
    /// attempt; false when its timeout or a shutdown did first: then the current task has been
    /// cancelled, and must run no other attempt.
    func run(_ attempt: PreparedAttempt, startLog: StartLog?) async -> Bool {
        // Marked before the handler can run: crash recovery counts the attempt of a marked job only.
        startLog?.started(attempt.job)
        let timeout = attempt.timeout
        let deadline = timeouts.deadline(after: timeout)
        let watch = timeouts.watch(until: deadline) { [self] in resolve(.timedOut(timeout)) }
        let attached = withUnsafeCurrentTask { task in
            state.withLock { state -> Bool in
                guard !state.ended else { return false }
                state.runner = task.map(RunningTask.init)
                state.watch = watch
                return true
            }
        }
        guard attached else {
            // Stopped before it began (a shutdown raced the start).
            timeouts.forget(watch)
            return false
        }
        let end: AttemptEnd
        do {
            try await attempt.handler.run(attempt.context)
            end = .succeeded
        } catch let control as JobControl {
            switch control {
            case .discard(let reason): end = .discardRequested(reason: reason)
            case .snooze(let delay): end = .snoozeRequested(delay)
            case .retry(let delay, let reason): end = .retryRequested(after: delay, reason: reason)
            }
        } catch let failure as PayloadDecodingFailure {
            end = .undecodablePayload(failure)
        } catch {
            end = .failed(error)
        }
        return resolve(end, fromHandler: true)
    }

    /// Ends the attempt for a shutdown, unless it already ended.
    func stop() {
        resolve(.stoppedByShutdown)
    }

    /// Reports `end` unless the attempt already ended; returns whether it did report it.
    @discardableResult
    private func resolve(_ end: AttemptEnd, fromHandler: Bool = false) -> Bool {
        let watch = state.withLock { state -> TimeoutMonitor.Watch?? in
            guard !state.ended else { return nil }
            state.ended = true
            // Cancelled while the lock is held: the runner cannot leave the handler and end its task
            // meanwhile, since leaving takes this lock.
            if !fromHandler { state.runner?.cancel() }
            defer {
                state.runner = nil
                state.watch = nil
            }
            return .some(state.watch)
        }
        guard case .some(let taken) = watch else { return false }
        if let taken { timeouts.forget(taken) }
        onEnd(end, fromHandler)
        return true
    }
}

/// A claimed attempt ready to run: its handler, its context and its timeout.
struct PreparedAttempt: Sendable {
    let job: JobRecord
    let handler: RegisteredHandler
    let context: JobContext
    let timeout: Duration
}

/// The task running a handler, kept so that a timeout or a shutdown can cancel it.
///
/// `@unchecked Sendable`: an `UnsafeCurrentTask` may be used only while its task runs. ``AttemptRace``
/// keeps it only between the handler's start and its return, and cancels it only under its lock,
/// which the runner must take to leave the handler; so the task is alive whenever it is cancelled.
private struct RunningTask: @unchecked Sendable {
    let task: UnsafeCurrentTask

    func cancel() {
        task.cancel()
    }
}
