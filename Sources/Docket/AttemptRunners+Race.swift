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

extension AttemptRunners {
    /// Runs one attempt in the current task. Returns true when the handler ended it; false when its
    /// timeout or a shutdown did first: then the current task has been cancelled, and must run no
    /// other attempt.
    func run(_ job: JobRecord, handlers: inout HandlerCache) async -> Bool {
        guard let handler = handlers.handler(for: job.name, in: services) else {
            // Claims take only names with a handler, and handlers are never removed.
            services.logger.error("docket claimed a job with no handler; giving it back", metadata: services.metadata(job))
            let release = JobChange(id: job.id, event: .release(runAt: services.now()), expectedAttempt: job.attempt)
            let wake = state.withLock { recordEnd(job, release, &$0) }
            if wake { inbox.send(.attemptsEnded) }
            return true
        }
        let attempt = services.prepareAttempt(job, handler: handler)
        let deadline = timeouts.deadline(after: attempt.timeout)
        let started = withUnsafeCurrentTask { task in
            state.withLock { state -> Bool in
                guard !state.isClosed else { return false }
                state.attempts[job.id] = RunningAttempt(
                    job: job, timeout: attempt.timeout, deadline: deadline, runner: task.map(RunningTask.init))
                // Marked before the handler can run, and only once it is sure to: crash recovery
                // counts the attempt of a marked job only.
                startLog?.started(job)
                // An attempt the hand-over thread runs is watched only if it suspends (see handOver).
                if let thread = state.handingOver, pthread_equal(thread, pthread_self()) != 0 { return true }
                watchTimeout(of: job.id, &state)
                return true
            }
        }
        guard started else {
            // Closed for a shutdown between the take and the start: give it back untouched.
            let release = JobChange(id: job.id, event: .release(runAt: services.now()), expectedAttempt: job.attempt)
            let wake = state.withLock { recordEnd(job, release, &$0) }
            if wake { inbox.send(.attemptsEnded) }
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
        return resolve(job.id, end, handler: attempt.handler, byHandler: true)
    }

    /// Ends every running attempt for shutdown; each is given back. Call ``close()`` first, so that no
    /// waiting job starts in the freed slots.
    func stopAll() {
        let ids = state.withLock { Array($0.attempts.keys) }
        for id in ids {
            resolve(id, .stoppedByShutdown, handler: nil, byHandler: false)
        }
    }

    /// Ends attempt `id` as `end` unless it already ended; returns whether this call ended it.
    /// `handler` is the job's, when the caller has it at hand.
    @discardableResult
    func resolve(_ id: JobID, _ end: AttemptEnd, handler: RegisteredHandler?, byHandler: Bool) -> Bool {
        let ending = state.withLock { state -> RunningAttempt? in
            guard let attempt = state.attempts.removeValue(forKey: id) else { return nil }
            // Cancelled while the lock is held: the runner cannot leave the handler and end its task
            // meanwhile, since leaving takes this lock.
            if !byHandler { attempt.runner?.cancel() }
            return attempt
        }
        guard let ending else { return false }
        if let watch = ending.watch { timeouts.forget(watch) }
        let job = ending.job
        let change: JobChange
        if case .succeeded = end {
            change = JobChange(id: job.id, event: .complete, expectedAttempt: job.attempt)
        } else {
            let policy = (handler ?? services.handler(for: job.name))?.options.retry
            change = services.change(for: end, job: job, handlerPolicy: policy)
        }
        let wake = state.withLock { recordEnd(job, change, &$0) }
        if wake { inbox.send(.attemptsEnded) }
        // The runner goes on to the next job itself, unless it is left behind with its handler.
        if !byHandler { startRunners() }
        return true
    }

    /// Watches the timeout of attempt `id`, which has none yet. Call holding the lock; the monitor's
    /// lock is taken inside this one, never the other way round.
    func watchTimeout(of id: JobID, _ state: inout State) {
        guard let attempt = state.attempts[id] else { return }
        let timeout = attempt.timeout
        state.attempts[id]?.watch = timeouts.watch(until: attempt.deadline) { [self] in
            resolve(id, .timedOut(timeout), handler: nil, byHandler: false)
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
