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
        /// Callers of ``waitUntilRunning()``.
        var readyWaiters: [CheckedContinuation<Void, any Error>] = []
        /// Callers of ``waitUntilIdle()``.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
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
            return inbox
        }
    }

    /// Enters `running`: releases the callers waiting for readiness.
    func becameReady() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            if case .starting(let inbox) = state.phase { state.phase = .running(inbox) }
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Back to `idle` as `run()` returns, with the error it throws if it never became ready.
    func ended(failure: (any Error)?) {
        let (ready, idle) = state.withLock { state in
            state.phase = .idle
            defer {
                state.readyWaiters = []
                state.idleWaiters = []
            }
            return (state.readyWaiters, state.idleWaiters)
        }
        for waiter in ready { waiter.resume(throwing: failure ?? DocketError.notRunning) }
        for waiter in idle { waiter.resume() }
    }

    /// Returns once `run()` has rescued and runs jobs; throws what `run()` threw if it failed first,
    /// or ``DocketError/notRunning`` if it returned before.
    func waitUntilRunning() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready = state.withLock { state -> Bool in
                if case .running = state.phase { return true }
                state.readyWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Returns once `run()` is not active.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if case .idle = state.phase { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
