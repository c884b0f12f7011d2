/// Which of the schedulers that run one store does the work that must happen once: firing the
/// schedules, pruning ended jobs, and the store's own upkeep (for a SQLite journal, its WAL
/// checkpoints).
///
/// The contract for several processes on one store, beside the liveness of
/// ``RunnerRegistryStore`` and the rescue of
/// ``JobStore/rescueOrphans(currentOwner:now:isAlive:retryAt:wasStarted:)``:
///
/// - **One leader at a time, without clocks.** Leadership is a lock that the store's own machinery
///   releases when its holder dies (for a file journal, an `flock` the kernel releases when the
///   process exits; for a database server, a session-level advisory lock that ends with the
///   session). While a live owner holds it, ``tryLead(owner:)`` answers false to every other owner,
///   in this process or another. No lease or heartbeat decides it: a leader that is slow stays
///   leader.
/// - **Handover.** Once the leader resigns (``resignLeadership(owner:)``) or dies, the next call of
///   another owner may take it. A scheduler asks at its start and at every safety poll, so a dead
///   leader is replaced within about one poll interval.
/// - **Cheap.** A scheduler asks once per safety poll: the call must not write, and it should cost a
///   few system calls at most (nothing more for the owner that leads already).
/// - **Correctness does not depend on it.** A store must keep every once-work operation correct with
///   no leader or with two: each schedule firing is a compare-and-set on the schedule's next firing,
///   and each prune deletes only jobs in the ended state it expects. Leadership saves repeated work;
///   it guards nothing.
///
/// The default answers true to every owner: right for a store that only one scheduler can run at a
/// time, and for wrappers that keep no leadership of their own.
package protocol LeadershipStore: Sendable {
    /// Whether `owner` leads now: true when it led already or took the leadership with this call,
    /// false when another live owner holds it. Never waits for the holder. Throws when the store
    /// cannot tell; a scheduler then does the once-work itself, which the compare-and-sets keep
    /// correct, rather than leave the schedules unfired.
    func tryLead(owner: String) async throws -> Bool

    /// Gives up the leadership if `owner` holds it, so that another owner takes it at its next try.
    /// Harmless when `owner` does not lead.
    func resignLeadership(owner: String) async
}

extension LeadershipStore {
    package func tryLead(owner: String) async throws -> Bool { true }

    package func resignLeadership(owner: String) async {}
}
