import DocketCore

/// What reaches the run loop from outside it: API calls, finished attempts, timers and shutdown.
enum LoopMessage: Sendable {
    struct Entry: Sendable {
        var timer: TimerEntry
        var name: String
    }

    /// Jobs this process committed (or moved); the timer index may need them.
    case scheduled([Entry])
    /// A job this process cancelled: scheduled, or running here or elsewhere.
    case cancelled(JobID)
    /// A schedule was created, changed or resumed: its cursor may be due sooner than the loop knows.
    case schedulesChanged
    /// A queue was resumed here: a claim looks for its jobs.
    case queuesChanged
    /// A look for dead peers ended; `rescued` when it moved their running jobs back to scheduled,
    /// so that a refill and a claim find them.
    case peersChecked(rescued: Bool)
    /// A look at the leadership of the journal's runners ended: whether this scheduler leads.
    case leadershipChecked(Bool)
    /// A firing pass ended: what it created and when the next schedule is due (nil when it failed).
    case schedulesFired(ScheduleFiringReport?)
    /// A prune batch ended: what it deleted (nil when it failed) and how long it took.
    case pruned(PruneBatch?, took: Duration)
    /// The `docket.jobs` gauges were read (or the reading failed).
    case countsRead
    /// A handler was registered; jobs that waited for it can run.
    case registered(String)
    /// Attempts ended; their slots are free, and ``AttemptRunners/takeEnded()`` has the changes that
    /// record them.
    case attemptsEnded
    /// The journal answered a tick.
    case committed(TickReport)
    /// The safety poll found these scheduled jobs, newer than the poll cursor, up to `cursor`.
    case polled([Entry], cursor: JobID)
    /// The journal's change counter (``JobStore/changesByOthers()``): nil when reading it failed,
    /// `.some(nil)` when the journal cannot tell.
    case changesChecked(Int64??)
    /// The claims of jobs this process runs that the journal no longer holds as running
    /// (``SchedulerLoop/checkRunningJobs(_:)``).
    case runningChecked([ClaimKey])
    /// The sleeper of the given generation woke.
    case tick(Int)
    /// Stop claiming; cancel what still runs when `graceSleep` returns, or at once when it is nil
    /// (task cancellation). The grace period is anchored when the shutdown was asked for.
    case shutdown(graceSleep: (@Sendable () async throws -> Void)?)
    /// The shutdown grace period is over: cancel what still runs.
    case graceExpired
}
