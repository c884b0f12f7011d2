/// Queues in durable storage: their declared limits, their pause, and the claim that honours both.
///
/// The contract a store keeps, so that limits hold whichever processes claim from it:
///
/// - A claim reads the queues' limits, pauses, running counts and rate windows inside the
///   transaction that claims, and claims within them. Two claims that overlap in time cannot both
///   see the same free slot: a store that runs claims in parallel (several processes on one
///   journal, or a database server) must serialize claims that touch one queue, or lock the
///   queue's row, so that the running count a claim reads is the one it leaves.
/// - Running counts are the jobs running in the store, those claimed and not yet started included.
///   A slot is free again only once the attempt's end is recorded: the store's count is never below
///   the attempts that run, so a limit is never exceeded, however late outcomes arrive.
/// - A rate window counts the starts the store keeps (the claim's time for each job it claims in a
///   rate-limited queue), never a count in memory, so that it holds across restarts and processes.
/// - A pause is data in the store: set or cleared by one transaction that expects the queue to
///   exist, never changed by a declaration. A paused queue keeps accepting jobs; claims skip them.
/// - Queues left out of the latest declaration lose their limits (their jobs are governed by the
///   global limit only) and keep their pause.
package protocol QueueStore: Sendable {
    /// Makes `queues` the declared queues, in one transaction: each one's limits are written (a new
    /// queue is added, unpaused), every other queue loses its limits. Pauses are kept.
    func declareQueues(_ queues: [QueueLimits], now: Timestamp) async throws

    /// Pauses queue `name` with `note`, or resumes it, in one transaction guarded by its current
    /// pause. A queue the store does not know is added, with `declaration`'s limits, when
    /// `declaration` is given (a queue declared in code before it ran), or undeclared when it has
    /// jobs (a queue used as a label); otherwise the change is refused with
    /// ``QueueRefusal/notFound(_:)``. Pausing a paused queue replaces its note.
    func setQueuePaused(
        named name: String, paused: Bool, note: String?, declaration: QueueLimits?, now: Timestamp
    ) async throws -> QueueRecord

    /// Every queue the store knows (declared now, ever paused, or holding a job in any state), by
    /// name, with the running and scheduled counts of one snapshot.
    func queues() async throws -> [QueueRecord]
}

/// A store that wraps another and passes its queues through unchanged.
package protocol ForwardingQueueStore: QueueStore {
    /// The store that keeps the queues.
    var queueStore: any QueueStore { get }
}

extension ForwardingQueueStore {
    package func declareQueues(_ queues: [QueueLimits], now: Timestamp) async throws {
        try await queueStore.declareQueues(queues, now: now)
    }

    package func setQueuePaused(
        named name: String, paused: Bool, note: String?, declaration: QueueLimits?, now: Timestamp
    ) async throws -> QueueRecord {
        try await queueStore.setQueuePaused(named: name, paused: paused, note: note, declaration: declaration, now: now)
    }

    package func queues() async throws -> [QueueRecord] {
        try await queueStore.queues()
    }
}
