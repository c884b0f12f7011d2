/// What a peer's registration shows (for a journal file, its runner file) when another runner of
/// the store looks at it: see ``RunnerRegistryStore``.
package struct RunnerSighting: Sendable, Hashable {
    /// Whether someone holds the registration: the store's machinery drops it when the holder's
    /// process exits (for a journal file, the kernel drops the file's lock).
    package var lockHeld: Bool
    /// The holder's last heartbeat, in nanoseconds of the store's heartbeat clock (for a journal
    /// file, the host's monotonic clock); nil when it has none that reads whole (a runner that wrote
    /// none yet, or a read that raced a write).
    package var heartbeat: UInt64?

    package init(lockHeld: Bool, heartbeat: UInt64?) {
        self.lockHeld = lockHeld
        self.heartbeat = heartbeat
    }
}

/// What a runner of the journal is, as far as rescuing its running jobs goes.
package enum RunnerStanding: Sendable, Hashable {
    /// Alive and beating: its jobs are its own.
    case alive
    /// Its lock is free: the process is gone, its jobs are rescued and its files removed.
    case dead
    /// Its lock is held but its heartbeat is older than the lease: the process lives but is hung
    /// (stopped, deadlocked, starved). Its jobs are rescued; its files stay, since it holds them and
    /// may wake.
    case stalled(heartbeat: UInt64)

    /// Whether another runner takes over its running jobs.
    package var isRescued: Bool { self != .alive }
}

/// How long a runner whose lock is held may go without a heartbeat before the others rescue its
/// running jobs; nil never rescues the jobs of a runner that holds its lock.
///
/// Heartbeats are readings of one monotonic clock of the host, which every process on one boot
/// reads alike; a lock that is held proves its holder runs on this boot, since the kernel drops
/// every lock when the system stops. A heartbeat from another clock domain (a reading later than
/// the observer's own, as in a separate time namespace) is not compared: its runner counts as
/// alive.
package struct RunnerLease: Sendable, Hashable {
    package var duration: Duration?

    package init(_ duration: Duration?) {
        self.duration = duration
    }

    /// The standing of a runner seen as `sighting`, by an observer whose monotonic clock reads `now`
    /// nanoseconds, read after the heartbeat.
    package func standing(of sighting: RunnerSighting, now: UInt64) -> RunnerStanding {
        guard sighting.lockHeld else { return .dead }
        guard let duration, let heartbeat = sighting.heartbeat, heartbeat <= now else { return .alive }
        return Duration.nanoseconds(now - heartbeat) > duration ? .stalled(heartbeat: heartbeat) : .alive
    }

    /// Whether a runner whose previous heartbeat was `previous` and whose next one is `now` went
    /// longer than the lease without one: then the others may have rescued its jobs meanwhile.
    package func overran(previous: UInt64, now: UInt64) -> Bool {
        guard let duration, now >= previous else { return false }
        return Duration.nanoseconds(now - previous) > duration
    }
}
