import DocketLocking
import Foundation
import Synchronization

/// A dedicated thread that owns one ``Connection`` and runs queued operations on it.
///
/// SQLite calls block, so they run on their own thread instead of the cooperative pool; callers await
/// a continuation. The writer's thread batches: it takes every operation that arrived while the
/// previous transaction was committing and commits them together (group commit).
///
/// After a batch the thread polls its queue for ``idlePoll`` before it sleeps on its lock's condition:
/// a thread woken from a condition variable may get a core only much later on a busy machine. The poll
/// is short because the scheduler keeps its next tick queued while one commits (so the writer seldom
/// finds its queue empty), and because polling burns CPU that the handlers need (BENCHMARKS.md, "Design
/// notes", has the measurement behind the length).
final class ConnectionThread: Sendable {
    private enum Phase {
        case starting, running, stopping, stopped
    }

    private struct State {
        var phase = Phase.starting
        var openFailure: (any Error)?
        var queue: [any QueuedOperation] = []
        var counters = JournalStatistics()
        var joinWaiters: [CheckedContinuation<Void, Never>] = []
        var queueWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var isPausedForTesting = false

        /// Removes and returns the waiters whose queue length has been reached.
        mutating func takeQueueWaiters() -> [CheckedContinuation<Void, Never>] {
            let reached = queueWaiters.filter { queue.count >= $0.count }.map(\.continuation)
            queueWaiters.removeAll { queue.count >= $0.count }
            return reached
        }
    }

    /// The thread's state; the owner thread sleeps on it until there is work, and the thread that
    /// started it sleeps on it until the connection is open.
    private let state = Locked(State())
    /// `queue.count`, readable without the lock, for the poll before the thread sleeps.
    private let queuedCount = Atomic<Int>(0)

    /// How long the thread looks for new work after a batch before sleeping; it yields the core
    /// between looks, so other runnable threads are not held up.
    static let idlePoll = Duration.microseconds(50)

    /// The most operations one write transaction carries; 1 disables group commit.
    let batchLimit: Int
    /// The journal's path, for `closed` errors.
    let path: String?

    /// Starts the thread, which opens its connection with `open`; returns once it has, or rethrows.
    init(name: String, batchLimit: Int, path: String?, open: @escaping @Sendable () throws -> Connection) throws {
        self.batchLimit = max(1, batchLimit)
        self.path = path
        let thread = Thread { [self] in
            if batchLimit > 1 { _ = pthread_setspecific(writerThreadKey, UnsafeRawPointer(bitPattern: 1)) }
            main(open: open)
        }
        thread.name = name
        thread.start()
        let failure = state.withLock(waitingUntil: { $0.phase != .starting }) { $0.openFailure }
        if let failure { throw failure }
    }

    /// Queues `body` and waits for its result. Write operations commit before their result arrives.
    func submit<Value: Sendable>(
        writes: Bool, _ body: @escaping @Sendable (Connection) throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let work = QueuedCallback(writes: writes, body: body) { continuation.resume(with: $0) }
            if !enqueue(work) { work.fail(JournalError.closed(path: path)) }
        }
    }

    /// Queues `operation` without waiting for it; false when the thread no longer accepts work.
    func enqueue(_ operation: any QueuedOperation) -> Bool {
        let (accepted, reached) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            guard state.phase == .running else { return (false, []) }
            state.queue.append(operation)
            queuedCount.add(1, ordering: .relaxed)
            return (true, state.takeQueueWaiters())
        }
        if accepted { state.wakeWaiters() }
        reached.forEach { $0.resume() }
        return accepted
    }

    /// The writer's counters so far.
    var statistics: JournalStatistics {
        state.withLock { $0.counters }
    }

    /// Refuses new operations; the thread finishes the queued ones, closes its connection and exits.
    func stopAccepting() {
        state.withLock { state in
            if state.phase == .running { state.phase = .stopping }
        }
        state.wakeWaiters()
    }

    /// Waits until the thread has exited.
    func join() async {
        await withCheckedContinuation { continuation in
            let stopped = state.withLock { state in
                if state.phase == .stopped { return true }
                state.joinWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    private func main(open: @Sendable () throws -> Connection) {
        let connection: Connection
        do {
            connection = try open()
        } catch {
            state.withLock { state in
                state.openFailure = error
                state.phase = .stopped
            }
            state.wakeWaiters()
            return
        }
        state.withLock { $0.phase = .running }
        state.wakeWaiters()

        while let batch = nextBatch() {
            run(batch, on: connection)
        }
        connection.close()

        let waiters = state.withLock { state in
            state.phase = .stopped
            defer { state.joinWaiters = [] }
            return state.joinWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// The operations that arrived since the last batch, up to ``batchLimit``; nil once stopped and drained.
    private func nextBatch() -> [any QueuedOperation]? {
        pollBriefly()
        let ready = { (state: State) in state.phase != .running || (!state.queue.isEmpty && !state.isPausedForTesting) }
        return state.withLock(waitingUntil: ready) { state in
            if state.queue.isEmpty { return nil }
            let count = min(state.queue.count, batchLimit)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            queuedCount.subtract(count, ordering: .relaxed)
            return batch
        }
    }

    /// Returns once work is queued or ``idlePoll`` has passed, whichever comes first.
    private func pollBriefly() {
        let clock = ContinuousClock()
        let end = clock.now + Self.idlePoll
        while queuedCount.load(ordering: .relaxed) == 0 && clock.now < end {
            sched_yield()
        }
    }

    /// Counts a committed transaction of `operations` operations.
    func recordCommit(of operations: Int) {
        state.withLock { state in
            state.counters.transactionsCommitted += 1
            state.counters.operationsApplied += operations
            state.counters.largestBatch = max(state.counters.largestBatch, operations)
        }
    }
}

// Test hooks: they make group commit observable without sleeping.
extension ConnectionThread {
    /// Holds queued operations until ``resumeForTesting()``.
    func pauseForTesting() {
        state.withLock { $0.isPausedForTesting = true }
    }

    /// Lets the thread take everything queued while paused as one batch.
    func resumeForTesting() {
        state.withLock { $0.isPausedForTesting = false }
        state.wakeWaiters()
    }

    /// Waits until at least `count` operations are queued.
    func waitUntilQueued(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let reached = state.withLock { state in
                if state.queue.count >= count { return true }
                state.queueWaiters.append((count, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }
}

/// Marks the threads that own a journal's writer connection.
private let writerThreadKey: pthread_key_t = {
    var key = pthread_key_t()
    _ = pthread_key_create(&key, nil)
    return key
}()

/// Whether the calling thread is a journal's writer thread. For tests that check where code runs.
package func isJournalWriterThread() -> Bool {
    pthread_getspecific(writerThreadKey) != nil
}
