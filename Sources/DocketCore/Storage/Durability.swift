/// How hard a store works to keep a commit once it has reported it done.
///
/// The choice trades commit latency for what a reported commit survives. Either way a commit is
/// atomic: a crash never leaves half of a transaction behind.
public enum Durability: Sendable, Hashable {
    /// Every commit is flushed to stable storage (fsync) before it is reported done, so it survives a
    /// process crash, a kernel panic and power loss. The default.
    ///
    /// For the SQLite journal this is `PRAGMA synchronous=FULL` in WAL mode.
    case full

    /// Commits survive a process crash, but the last few reported commits may be lost on power loss
    /// or a kernel panic; the journal itself stays consistent. Commits are cheaper because the journal
    /// flushes only at checkpoints.
    ///
    /// For the SQLite journal this is `PRAGMA synchronous=NORMAL` in WAL mode.
    case normal
}
