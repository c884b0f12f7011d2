import Docket

/// Collects values that handlers report from the tasks they run on, for a test to read afterwards.
public final class Recorder<Value: Sendable>: Sendable {
    private let values = Locked<[Value]>([])

    /// An empty recorder.
    public init() {}

    /// Adds `value`.
    public func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    /// Every value so far, in the order they were added.
    public var all: [Value] { values.withLock { $0 } }
}

/// A gate that handlers wait on until the test opens it: it holds jobs "running" for as long as a
/// test needs, without sleeping. Waiting ignores cancellation, which makes it a stand-in for a
/// handler that does not notice being cancelled.
public final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    // Guards whether the gate is open and who waits for it.
    private let state = Locked(State())

    /// A closed gate.
    public init() {}

    /// Opens the gate for every waiter, now and later.
    public func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until the gate is open, whatever cancellation says.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if open { continuation.resume() }
        }
    }
}
