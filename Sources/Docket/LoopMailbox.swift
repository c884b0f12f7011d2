import Synchronization

/// The run loop's inbox. The loop takes everything that arrived since its last look in one go, so a
/// burst of finished attempts becomes one claim rather than one claim each.
final class LoopMailbox: Sendable {
    private struct State {
        var messages: [LoopMessage] = []
        var waiter: CheckedContinuation<[LoopMessage], Never>?
        var isClosed = false
    }

    // Guards the queue and the single waiting loop.
    private let state = Locked(State())

    /// Adds a message; ignored once closed.
    func send(_ message: LoopMessage) {
        let resume = state.withLock { state -> (CheckedContinuation<[LoopMessage], Never>, [LoopMessage])? in
            guard !state.isClosed else { return nil }
            state.messages.append(message)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            defer { state.messages.removeAll(keepingCapacity: true) }
            return (waiter, state.messages)
        }
        if let (waiter, messages) = resume { waiter.resume(returning: messages) }
    }

    /// Every message that arrived since the last call, waiting for one if there is none; empty once
    /// closed and drained.
    func next() async -> [LoopMessage] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [LoopMessage]? in
                if !state.messages.isEmpty || state.isClosed {
                    defer { state.messages.removeAll(keepingCapacity: true) }
                    return state.messages
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Every message that arrived since the last look, without waiting; empty when none did.
    func takeAll() -> [LoopMessage] {
        state.withLock { state in
            defer { state.messages.removeAll(keepingCapacity: true) }
            return state.messages
        }
    }

    /// Stops accepting messages and wakes a waiting loop.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[LoopMessage], Never>? in
            state.isClosed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }
}
