import DocketCore
import DocketSQLite
import Logging

/// How a ``JobScheduler`` runs: durability, concurrency, the defaults jobs inherit, and the clocks.
public struct SchedulerConfiguration: Sendable {
    /// What a commit survives; `.full` by default. See `Durability`.
    public var durability: Durability = .full
    /// How many handlers may run at once.
    public var maxConcurrentJobs: Int = 16
    /// The retry policy of jobs whose handler and options name none.
    public var defaultRetryPolicy: RetryPolicy = .default
    /// The attempts a job gets when neither its options nor its handler say otherwise.
    public var defaultMaxAttempts: Int = JobDefaults.maxAttempts
    /// How long one attempt may run when neither the job nor its handler say otherwise.
    public var defaultTimeout: Duration = .seconds(300)
    /// How long running jobs get to finish after a graceful shutdown begins, before they are cancelled
    /// and given back to the journal.
    public var shutdownGracePeriod: Duration = .seconds(30)
    /// The largest payload accepted, in bytes.
    public var maxPayloadBytes: Int = JobDefaults.maxPayloadBytes
    /// How long a write waits for another process's lock before failing with a busy error.
    public var busyTimeout: Duration = .seconds(5)
    /// Where log records go. Docket never makes a logger of its own; the default discards everything.
    public var logger: Logger = Logger(label: "docket", factory: { _ in SwiftLogNoOpLogHandler() })
    /// The wall clock that decides when jobs are due.
    public var wallClock: any WallClock = SystemWallClock()
    /// The monotonic clock the scheduler sleeps on, and measures timeouts and grace periods with.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// Seeds the random generator behind retry jitter; nil uses the system's generator.
    public var randomSeed: UInt64? = nil
    /// How far ahead the in-memory timer index holds jobs; later ones stay on disk until they come close.
    public var timerHorizon: Duration = .seconds(60)
    /// How often the scheduler looks in the journal for jobs other processes added.
    public var pollInterval: Duration = .seconds(1)
    /// The most jobs one claim takes.
    public var claimBatchSize: Int = 256
    /// How long before its time a job is claimed: the journal's round trip then happens before the
    /// job is due, and the scheduler starts it on time from memory (never early). A job claimed ahead
    /// shows as running and can no longer be cancelled or rescheduled; at shutdown it is given back
    /// with its time unchanged. Zero claims a job only once it is due.
    public var claimAhead: Duration = .milliseconds(10)
    /// The most claimed jobs that may wait for a free slot, so that one journal transaction claims
    /// many jobs when each runs quickly; nil means four times ``maxConcurrentJobs``. The scheduler
    /// prefetches only as far as the handlers' pace asks (twice the attempts that ended in the last
    /// transaction), so slow handlers keep few jobs waiting. Waiting jobs count their attempt and show
    /// as running in the journal; at shutdown they are given back without spending it. Set 0 to claim
    /// a job only when a slot is free.
    public var prefetch: Int? = nil

    /// The defaults; change fields as needed.
    public init() {}

    var journalOptions: (durability: Durability, busyTimeout: Duration, maxPayloadBytes: Int) {
        (durability, busyTimeout, maxPayloadBytes)
    }
}
