import DocketCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An attempt that has not ended: what its timeout and a shutdown need to end it.
struct RunningAttempt {
    let job: JobRecord
    let timeout: Duration
    /// The monotonic deadline, from ``TimeoutMonitor/deadline(after:)``, read when the attempt began.
    let deadline: Timestamp
    /// The runner's task, while the handler runs in it: the task to cancel if the attempt ends
    /// otherwise.
    var runner: RunningTask?
    /// Its timeout's watch, once registered.
    var watch: TimeoutMonitor.Watch?
}

/// Where an attempt starts: on the thread of a hand-over (since when it runs handlers), or on the
/// cooperative pool.
private enum Placement {
    case handOver(since: ContinuousClock.Instant, thread: pthread_t)
    case pool
}

/// What the turn of the lock that starts an attempt decided.
private enum Start {
    /// Started, there.
    case placed(Placement)
    /// Given back to the waiting jobs, for a runner on the cooperative pool.
    case moved
    /// Closed for a shutdown: not started.
    case closed
}

/// How a runner's attempt went.
enum AttemptRun {
    /// The handler returned or threw: the runner ends the attempt, unless its timeout or a shutdown
    /// ended it first.
    case ended(AttemptEnd, RegisteredHandler)
    /// The attempt never ran (no handler) and its end is recorded: the runner goes on.
    case settled
    /// Closed for a shutdown before the attempt started; its end is recorded: the runner leaves.
    case notStarted
    /// Not started on the hand-over's thread, and given back to the waiting jobs, which runners on
    /// the cooperative pool take: the runner leaves.
    case moved
}

extension AttemptRunners {
    /// Runs one attempt's handler in the current task, and says how it went.
    func run(_ job: JobRecord, handlers: inout HandlerCache) async -> AttemptRun {
        guard let handler = handlers.handler(for: job.name, in: services) else {
            // Claims take only names with a handler, and handlers are never removed.
            services.logger.error("docket claimed a job with no handler; giving it back", metadata: services.metadata(job))
            giveBack(job)
            return .settled
        }
        let attempt = services.prepareAttempt(job, handler: handler)
        let deadline = timeouts.deadline(after: attempt.timeout)
        // One turn of the lock decides where the attempt runs, or that it does not.
        let started = withUnsafeCurrentTask { task in
            state.withLock { state -> Start in
                // The hand-over's thread, and since when it lends itself to this attempt.
                var handOver: (thread: pthread_t, now: ContinuousClock.Instant)?
                if let thread = state.handingOver, pthread_equal(thread, pthread_self()) != 0 {
                    handOver = (thread, ContinuousClock.now)
                }
                if let handOver, leavesHandOverThread(handler: handler, now: handOver.now, &state) {
                    // Back to the head of the waiting jobs, for runners on the cooperative pool.
                    state.waiting.insert(job, at: state.head)
                    state.running -= 1
                    return .moved
                }
                guard !state.isClosed else { return .closed }
                state.attempts[job.id] = RunningAttempt(
                    job: job, timeout: attempt.timeout, deadline: deadline, runner: task.map(RunningTask.init))
                // Marked before the handler can run, and only once it is sure to: crash recovery
                // counts the attempt of a marked job only.
                startLog?.started(job)
                // An attempt the hand-over thread runs is watched only if it suspends (see handOver).
                if let handOver {
                    return .placed(.handOver(since: handOver.now, thread: handOver.thread))
                }
                watchTimeout(of: job.id, &state)
                return .placed(.pool)
            }
        }
        let placement: Placement
        switch started {
        case .moved:
            return .moved
        case .closed:
            // Closed for a shutdown between the take and the start: give it back untouched.
            giveBack(job)
            return .notStarted
        case .placed(let chosen):
            placement = chosen
        }
        services.announceStart(of: job)
        var inline: (since: ContinuousClock.Instant, thread: pthread_t)?
        if case .handOver(let start, let thread) = placement {
            inline = (start, thread)
        }
        let end: AttemptEnd
        defer {
            // Still on the hand-over's thread: the handler never suspended, and all its time was
            // the journal's.
            if let inline, pthread_equal(inline.thread, pthread_self()) != 0 {
                attempt.handler.computesLong.record(long: ContinuousClock.now - inline.since >= Self.inlineBudget)
            }
        }
        do {
            if let chain = services.middleware {
                let started = JobAttempt(context: attempt.context, started: services.now(), due: job.runAt)
                try await chain.run(started, handler: attempt.handler.run)
            } else {
                try await attempt.handler.run(attempt.context)
            }
            end = .succeeded
        } catch let control as JobControl {
            switch control {
            case .discard(let reason): end = .discardRequested(reason: reason)
            case .snooze(let delay): end = .snoozeRequested(delay)
            case .rateLimited(let delay): end = .rateLimited(retryAfter: delay)
            case .retry(let delay, let reason): end = .retryRequested(after: delay, reason: reason)
            }
        } catch let failure as PayloadDecodingFailure {
            end = .undecodablePayload(failure)
        } catch {
            end = .failed(error)
        }
        return .ended(end, attempt.handler)
    }

    /// Records that `job`, taken but not started, is given back with its attempt.
    private func giveBack(_ job: JobRecord) {
        let release = JobChange(id: job.id, event: .release(runAt: services.now()), expectedAttempt: job.attempt)
        let wake = state.withLock { recordEnd(job, release, &$0) }
        if wake { inbox.send(.attemptsEnded) }
    }

    /// Whether an attempt taken by a runner on the hand-over's thread must start on the cooperative
    /// pool instead: the hand-over has lent the journal's thread for ``inlineBudget`` already, or the
    /// handler was found to compute that long. Then the hand-over starts no more runners on its
    /// thread. Call holding the lock, on the hand-over's thread.
    private func leavesHandOverThread(handler: RegisteredHandler, now: ContinuousClock.Instant, _ state: inout State) -> Bool {
        if !state.movedToPool, let start = state.handOverStart, !handler.computesLong.isSet, now - start < Self.inlineBudget {
            return false
        }
        state.movedToPool = true
        return true
    }

    /// Ends every running attempt for shutdown; each is given back. Call ``close()`` first, so that no
    /// waiting job starts in the freed slots.
    func stopAll() {
        let ids = state.withLock { Array($0.attempts.keys) }
        for id in ids {
            resolve(id, .stoppedByShutdown)
        }
    }

    /// Ends attempt `id` for its timeout or a shutdown, unless it already ended, and cancels the
    /// runner's task that still runs its handler. With `claim`, only that attempt: a timeout that
    /// fires late must not end the job's next attempt.
    func resolve(_ id: JobID, _ end: AttemptEnd, claim: ClaimKey? = nil) {
        let ending = state.withLock { state -> RunningAttempt? in
            guard let running = state.attempts[id], claim.map({ ClaimKey(running.job) == $0 }) ?? true else { return nil }
            let attempt = state.attempts.removeValue(forKey: id)!
            // Cancelled while the lock is held: the runner cannot leave the handler and end its task
            // meanwhile, since leaving takes this lock.
            attempt.runner?.cancel()
            return attempt
        }
        guard let ending else { return }
        if let watch = ending.watch { timeouts.forget(watch) }
        let job = ending.job
        let change = services.change(for: end, job: job, handlerPolicy: services.handler(for: job.name)?.options.retry)
        let wake = state.withLock { recordEnd(job, change, &$0) }
        if wake { inbox.send(.attemptsEnded) }
        // The runner is left behind with its handler: another takes what waits.
        startRunners()
    }

    /// Watches the timeout of attempt `id`, which has none yet. Call holding the lock; the monitor's
    /// lock is taken inside this one, never the other way round.
    func watchTimeout(of id: JobID, _ state: inout State) {
        guard let attempt = state.attempts[id] else { return }
        let timeout = attempt.timeout
        let claim = ClaimKey(attempt.job)
        state.attempts[id]?.watch = timeouts.watch(until: attempt.deadline) { [self] in
            resolve(id, .timedOut(timeout), claim: claim)
        }
    }
}

/// The task running a handler, kept so that a timeout or a shutdown can cancel it.
///
/// `@unchecked Sendable`: an `UnsafeCurrentTask` may be used only while its task runs. The runners
/// keep it only between the handler's start and its end, and cancel it only under their lock, which
/// the runner must take to record the end; so the task is alive whenever it is cancelled.
struct RunningTask: @unchecked Sendable {
    let task: UnsafeCurrentTask

    func cancel() {
        task.cancel()
    }
}


