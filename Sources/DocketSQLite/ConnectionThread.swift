import Foundation
import Synchronization

/// A dedicated thread that owns one ``Connection`` and runs queued operations on it.
///
/// SQLite calls block, so they run on their own thread instead of the cooperative pool; callers await
/// a continuation. The writer's thread batches: it takes every operation that arrived while the
/// previous transaction was committing and commits them together (group commit).
///
/// After a batch the thread polls its queue for ``idlePoll`` before it sleeps on the condition: a
/// thread woken from the condition may get a core only much later on a busy machine. The poll is
/// short because the scheduler keeps its next tick queued while one commits (so the writer seldom
/// finds its queue empty), and because polling burns the CPU the handlers need: at 250 µs it cost
/// about 8 µs of CPU per job in W2 at concurrency 16, with no gain for a lone caller (W1).
///
/// `@unchecked Sendable`: every mutable property is read and written only while holding `condition`
/// (`queuedCount` is an atomic, a hint read without it); the connection itself never leaves the owner
/// thread.
final class ConnectionThread: @unchecked Sendable {
    private enum Phase {
        case starting, running, stopping, stopped
    }

    /// Guards every `var` below, and wakes the owner thread and the threads waiting for it.
    private let condition = NSCondition()
    private var phase = Phase.starting
    private var openFailure: (any Error)?
    private var queue: [any QueuedOperation] = []
    private var counters = JournalStatistics()
    private var joinWaiters: [CheckedContinuation<Void, Never>] = []
    private var queueWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var isPausedForTesting = false
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
        let thread = Thread { [self] in main(open: open) }
        thread.name = name
        thread.start()
        condition.lock()
        while phase == .starting { condition.wait() }
        let failure = openFailure
        condition.unlock()
        if let failure { throw failure }
    }

    /// Queues `body` and waits for its result. Write operations commit before their result arrives.
    func submit<Value: Sendable>(
        writes: Bool, _ body: @escaping @Sendable (Connection) throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let work = QueuedWork(writes: writes, body: body, continuation: continuation)
            if !enqueue(work) { work.fail(JournalError.closed(path: path)) }
        }
    }

    /// Queues `operation` without waiting for it; false when the thread no longer accepts work.
    func enqueue(_ operation: any QueuedOperation) -> Bool {
        condition.lock()
        let accepted = phase == .running
        var reached: [CheckedContinuation<Void, Never>] = []
        if accepted {
            queue.append(operation)
            queuedCount.add(1, ordering: .relaxed)
            reached = takeQueueWaiters()
            condition.broadcast()
        }
        condition.unlock()
        reached.forEach { $0.resume() }
        return accepted
    }

    /// The writer's counters so far.
    var statistics: JournalStatistics {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    /// Refuses new operations; the thread finishes the queued ones, closes its connection and exits.
    func stopAccepting() {
        condition.lock()
        if phase == .running { phase = .stopping }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the thread has exited.
    func join() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            let stopped = phase == .stopped
            if !stopped { joinWaiters.append(continuation) }
            condition.unlock()
            if stopped { continuation.resume() }
        }
    }

    private func main(open: @Sendable () throws -> Connection) {
        let connection: Connection
        do {
            connection = try open()
        } catch {
            condition.lock()
            openFailure = error
            phase = .stopped
            condition.broadcast()
            condition.unlock()
            return
        }
        condition.lock()
        phase = .running
        condition.broadcast()
        condition.unlock()

        while let batch = nextBatch() {
            run(batch, on: connection)
        }
        connection.close()

        condition.lock()
        phase = .stopped
        let waiters = joinWaiters
        joinWaiters = []
        condition.unlock()
        waiters.forEach { $0.resume() }
    }

    /// The operations that arrived since the last batch, up to ``batchLimit``; nil once stopped and drained.
    private func nextBatch() -> [any QueuedOperation]? {
        pollBriefly()
        condition.lock()
        defer { condition.unlock() }
        while phase == .running && (queue.isEmpty || isPausedForTesting) {
            condition.wait()
        }
        if queue.isEmpty { return nil }
        let count = min(queue.count, batchLimit)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        queuedCount.subtract(count, ordering: .relaxed)
        return batch
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
        condition.lock()
        counters.transactionsCommitted += 1
        counters.operationsApplied += operations
        counters.largestBatch = max(counters.largestBatch, operations)
        condition.unlock()
    }

    /// Removes and returns the waiters whose queue length has been reached. Call holding `condition`.
    private func takeQueueWaiters() -> [CheckedContinuation<Void, Never>] {
        let reached = queueWaiters.filter { queue.count >= $0.count }.map(\.continuation)
        queueWaiters.removeAll { queue.count >= $0.count }
        return reached
    }
}

// Test hooks: they make group commit observable without sleeping.
extension ConnectionThread {
    /// Holds queued operations until ``resumeForTesting()``.
    func pauseForTesting() {
        condition.lock()
        isPausedForTesting = true
        condition.unlock()
    }

    /// Lets the thread take everything queued while paused as one batch.
    func resumeForTesting() {
        condition.lock()
        isPausedForTesting = false
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until at least `count` operations are queued.
    func waitUntilQueued(_ count: Int) async {
        await withCheckedContinuation { continuation in
            condition.lock()
            let reached = queue.count >= count
            if !reached { queueWaiters.append((count, continuation)) }
            condition.unlock()
            if reached { continuation.resume() }
        }
    }
}
