/// An operation waiting for a ``ConnectionThread``, type-erased so that one queue holds them all.
protocol QueuedOperation: AnyObject, Sendable {
    /// Whether the operation writes, and so runs inside the writer's transaction.
    var writes: Bool { get }
    /// Runs the operation on the owner thread and keeps its result until ``succeed()``. May run more
    /// than once: a batch that fails as a whole re-runs each operation alone.
    func perform(on connection: Connection) throws
    /// Hands the kept result to the caller, once its transaction has committed.
    func succeed()
    /// Hands `error` to the caller.
    func fail(_ error: any Error)
}

/// An operation and what to do with its result: `completion` runs on the owner thread once the
/// operation's transaction has committed (or failed). An awaiting caller resumes its continuation
/// there; the scheduler's tick acts on the result directly, saving the hop through a waiting task.
///
/// `@unchecked Sendable`: `body` and `completion` are Sendable; `result` is written and read only by
/// the owner thread, between ``perform(on:)`` and ``succeed()``.
final class QueuedCallback<Value: Sendable>: QueuedOperation, @unchecked Sendable {
    let writes: Bool
    private let body: @Sendable (Connection) throws -> Value
    private let completion: @Sendable (Result<Value, any Error>) -> Void
    private var result: Value?

    init(
        writes: Bool, body: @escaping @Sendable (Connection) throws -> Value,
        completion: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) {
        self.writes = writes
        self.body = body
        self.completion = completion
    }

    func perform(on connection: Connection) throws {
        result = try body(connection)
    }

    func succeed() {
        guard let result else {
            completion(.failure(JournalError(kind: .other, message: "operation finished without a result")))
            return
        }
        self.result = nil
        completion(.success(result))
    }

    func fail(_ error: any Error) {
        result = nil
        completion(.failure(error))
    }
}
