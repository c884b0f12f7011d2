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
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    /// A closed gate.
    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Opens the gate for every waiter, now and later.
    public func open() {
        continuation.finish()
    }

    /// Waits until the gate is open, whatever cancellation says.
    public func wait() async {
        for await _ in stream {}
    }
}
