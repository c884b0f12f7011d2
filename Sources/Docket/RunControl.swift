import DocketCore

/// Where ``JobScheduler/run()`` is in its life: the runtime's mailbox while it runs, and the callers
/// that wait for it to be ready or to return.
final class RunControl: Sendable {
    enum Phase {
        /// `run()` has not been called, or has returned.
        case idle
        /// `run()` takes the journal and rescues what a crash left running; messages are kept.
        case starting(LoopMailbox)
        /// The runtime runs jobs.
        case running(LoopMailbox)
    }

    private struct State {
        var phase = Phase.idle
        var nextWaiter = 0
        /// Callers of ``waitUntilRunning()``, by ticket.
        var readyWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        /// Callers of ``waitUntilIdle()``, by ticket.
        var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Tickets whose task was cancelled before their continuation was stored.
        var cancelled: Set<Int> = []
        /// How the last `run()` ended, until the next begins: nil while none has ended.
        var lastEnd: (any Error)?? = nil
    }

    // Guards the phase and the waiters.
    private let state = Locked(State())

    /// The runtime's inbox while `run()` is starting or running.
    var mailbox: LoopMailbox? {
        state.withLock { state in
            switch state.phase {
            case .idle: nil
            case .starting(let inbox), .running(let inbox): inbox
            }
        }
    }

    /// Enters `starting` with a new mailbox; nil when `run()` is already active.
    func begin() -> LoopMailbox? {
        state.withLock { state in
            guard case .idle = state.phase else { return nil }
            let inbox = LoopMailbox()
            state.phase = .starting(inbox)
            state.lastEnd = nil
            return inbox
        }
    }

    /// Enters `running`: releases the callers waiting for readiness.
    func becameReady() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            if case .starting(let inbox) = state.phase { state.phase = .running(inbox) }
            defer { state.readyWaiters = [:] }
            return Array(state.readyWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Back to `idle` as `run()` returns, with the error it throws if it never became ready.
    func ended(failure: (any Error)?) {
        let (ready, idle) = state.withLock { state in
            state.phase = .idle
            state.lastEnd = .some(failure)
            defer {
                state.readyWaiters = [:]
                state.idleWaiters = [:]
            }
            return (Array(state.readyWaiters.values), Array(state.idleWaiters.values))
        }
        for waiter in ready { waiter.resume(throwing: failure ?? DocketError.notRunning) }
        for waiter in idle { waiter.resume() }
    }

    /// Returns once `run()` has rescued and runs jobs; throws what the last `run()` threw if it failed
    /// before that, ``DocketError/notRunning`` if it returned, or `CancellationError` when the caller's
    /// task is cancelled. Before any `run()`, waits for one.
    func waitUntilRunning() async throws {
        let ticket = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Answer { case ready, failed(any Error), wait }
                let answer = state.withLock { state -> Answer in
                    if state.cancelled.remove(ticket) != nil { return .failed(CancellationError()) }
                    switch state.phase {
                    case .running: return .ready
                    case .idle:
                        // A run that already ended answers for itself; before any run, wait for one.
                        if case .some(let failure) = state.lastEnd { return .failed(failure ?? DocketError.notRunning) }
                    case .starting: break
                    }
                    state.readyWaiters[ticket] = continuation
                    return .wait
                }
                switch answer {
                case .ready: continuation.resume()
                case .failed(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                guard let waiter = state.readyWaiters.removeValue(forKey: ticket) else {
                    state.cancelled.insert(ticket)
                    return nil as CheckedContinuation<Void, any Error>?
                }
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Returns once `run()` is not active, or when the caller's task is cancelled.
    func waitUntilIdle() async {
        let ticket = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { state -> Bool in
                    if state.cancelled.remove(ticket) != nil { return true }
                    if case .idle = state.phase { return true }
                    state.idleWaiters[ticket] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                guard let waiter = state.idleWaiters.removeValue(forKey: ticket) else {
                    state.cancelled.insert(ticket)
                    return nil as CheckedContinuation<Void, Never>?
                }
                return waiter
            }
            waiter?.resume()
        }
    }
}
