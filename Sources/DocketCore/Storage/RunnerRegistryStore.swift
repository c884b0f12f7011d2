/// The liveness of the schedulers that run one store: which of them still run, so that the jobs of
/// the ones that died (or hung) are rescued and nobody else's are.
///
/// The contract for several processes on one store, beside the rescue of
/// ``JobStore/rescueOrphans(currentOwner:now:isAlive:retryAt:wasStarted:)`` and the
/// ``LeadershipStore``:
///
/// - **Register, exclusively, without clocks.** A scheduler registers under its owner name when it
///   starts (``registerRunner(owner:lease:)``) and holds the registration while it runs. The
///   registration is exclusive: while its holder lives, registering the same owner again fails with
///   ``RunnerRegistrationError/held(holder:)``, in this process or another. The store's own
///   machinery releases it when the holder's process dies, SIGKILL included (for a file journal, an
///   `flock` the kernel drops when the process exits; for a database server, a session-level
///   advisory lock that ends with the session), so that a dead runner is known dead at once and
///   whatever the clocks say.
/// - **Heartbeat.** A held registration says the process lives, not that it works: the scheduler
///   beats (``RunnerRegistration/beat()``) at each safety poll, and a peer whose registration is
///   held but whose heartbeat is older than the lease is stalled: its running jobs are rescued, its
///   registration stays. Heartbeats are readings of one monotonic clock that every runner of the
///   store reads alike (``RunnerRegistration/heartbeatClock()``); the decision is
///   ``RunnerLease/standing(of:now:)``, from what the store shows (a ``RunnerSighting``).
/// - **Release.** A scheduler that stops releases its registration (``RunnerRegistration/release()``):
///   it leaves nothing running, so nobody needs it.
/// - **Peers and their removal.** The scheduler lists the other registrations
///   (``RunnerRegistration/peers()``) at each safety poll, rescues the jobs of the dead and stalled
///   ones, then removes the registrations of the dead (``RunnerRegistration/removeDead(_:)``), which
///   must remove only a registration that is still free, never one a live runner holds again.
/// - **Owners are never reused.** An owner once dead never comes back, so that a rescue can never
///   take the jobs of a later runner for those of a dead one.
/// - **Cheap.** Every call is made on the scheduler's safety poll or inside the rescue's
///   transaction (``RunnerRegistration/isAlive(_:)`` is the rescue's `isAlive`): none may wait for
///   another runner, and each should cost a few system calls or one round trip.
///
/// The default registers nothing (nil): right for a store that only one scheduler can run at a time,
/// such as an in-memory journal, where every other owner is dead.
package protocol RunnerRegistryStore: Sendable {
    /// Registers `owner` as a live runner of the store, with `lease` for the heartbeats, and writes
    /// its first heartbeat. Nil when the store keeps no registry: then no other runner exists.
    ///
    /// - Throws: ``RunnerRegistrationError``: ``RunnerRegistrationError/held(holder:)`` when a live
    ///   holder has `owner`'s registration, ``RunnerRegistrationError/cannotOpen(message:path:)``
    ///   when the store cannot make it.
    func registerRunner(owner: String, lease: RunnerLease) throws -> (any RunnerRegistration)?
}

extension RunnerRegistryStore {
    package func registerRunner(owner: String, lease: RunnerLease) throws -> (any RunnerRegistration)? { nil }
}

/// Why a runner could not register.
package enum RunnerRegistrationError: Error, Sendable, Hashable {
    /// A live holder has this owner's registration: a scheduler instance runs once.
    case held(holder: String)
    /// The registration could not be made, at `path` (a file, a table) for `message`'s reason.
    case cannotOpen(message: String, path: String)
}

/// One runner's registration with its store, held from its start to its stop; see
/// ``RunnerRegistryStore`` for the contract.
package protocol RunnerRegistration: Sendable {
    /// The owner registered.
    var owner: String { get }
    /// How long a peer may go without a heartbeat before its jobs are rescued.
    var lease: RunnerLease { get }

    /// Writes a heartbeat now. Returns true when the previous one is older than the lease
    /// (``RunnerLease/overran(previous:now:)``): this runner was stalled for that long, and the others
    /// may have rescued its running jobs meanwhile.
    func beat() -> Bool

    /// The clock heartbeats are written in, now, in nanoseconds.
    func heartbeatClock() -> UInt64

    /// The owners of the other registrations, held or not.
    func peers() -> [String]

    /// What `owner`'s registration shows; nil when it has none (removed once found dead, or never
    /// made).
    func sighting(of owner: String) -> RunnerSighting?

    /// Whether `owner`'s registration is held, whatever its heartbeat.
    func isHeld(_ owner: String) -> Bool

    /// Removes a dead peer's registration, only while it is still free. Called once its jobs are
    /// rescued.
    func removeDead(_ owner: String)

    /// Releases this registration: a scheduler that stops leaves nothing running.
    func release()

    /// Where the scheduler keeps `owner`'s start log (which attempts' handlers started, read by the
    /// rescuer of a dead owner), removed with the registration; nil when the store keeps none, and
    /// then every rescued attempt counts as started.
    func startLogPath(of owner: String) -> String?
}

extension RunnerRegistration {
    /// How `owner` stands: alive, dead (its registration is free or gone) or stalled (held, with a
    /// heartbeat older than the lease). This runner is alive to itself.
    package func standing(of owner: String) -> RunnerStanding {
        if owner == self.owner { return .alive }
        guard let sighting = sighting(of: owner) else { return .dead }
        // Read after the heartbeat, so that a live peer's heartbeat is never later than it.
        return lease.standing(of: sighting, now: heartbeatClock())
    }

    /// Whether `owner` still runs and keeps its jobs: the rescue's `isAlive`.
    package func isAlive(_ owner: String) -> Bool {
        standing(of: owner) == .alive
    }

    /// The peers whose registration is free: dead, their jobs rescued, their registration to remove.
    package func deadPeers() -> [String] {
        peers().filter { !isHeld($0) }
    }
}
