import DocketCore
import DocketSQLite
import Logging

/// How a ``JobScheduler`` runs: durability, concurrency, the defaults jobs inherit, and the clocks.
public struct SchedulerConfiguration: Sendable {
    /// What a commit survives; `.full` by default. See `Durability`.
    public var durability: Durability = .full
    /// How many handlers may run at once. A handler that ignores cancellation and is left behind at
    /// its timeout (or at the end of a shutdown's grace period) no longer counts: its slot is free
    /// again as soon as its attempt ends.
    public var maxConcurrentJobs: Int = 16
    /// The queues with limits of their own: each one's concurrency limit and optional rate limit,
    /// within ``maxConcurrentJobs``. Empty by default: then a queue is only a label. See
    /// ``JobQueue`` and the article *Queues*.
    ///
    /// `run()` writes the declaration to the journal; queues it leaves out lose their limits there
    /// but keep their pause. Jobs of queues not declared have no limit but the global one.
    public var queues: [JobQueue] = []
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
    /// How often the scheduler reads the journal for jobs it was not told about, as a safety net; it
    /// is also the longest the scheduler sleeps without looking at the clocks again, so that after
    /// any step of the wall clock a due job waits at most this long.
    public var pollInterval: Duration = .seconds(1)
    /// How often a running scheduler asks the journal whether another process changed it (scheduled,
    /// ran now, retried or cancelled a job). The question reads a counter in shared memory, costs a
    /// few microseconds, and leads to a read of the journal only when the answer changed; jobs
    /// scheduled by another process are seen within about this interval. Measured on the monotonic
    /// clock.
    public var changeCheckInterval: Duration = .milliseconds(25)
    /// How long a scheduler whose process is alive but hung (stopped, deadlocked, starved of CPU)
    /// keeps its running jobs: a runner that has written no heartbeat for this long, though its
    /// lock shows its process alive, counts as stalled, and the others rescue its running jobs, as
    /// they do a dead runner's. Five minutes by default; nil never rescues the jobs of a live runner.
    ///
    /// Each runner writes a heartbeat at each safety poll (``pollInterval``), so the lease must be
    /// well above the poll interval of every runner of the journal, and long enough for the pauses a
    /// healthy process may have (swapping, a debugger, a suspended virtual machine). A lease under
    /// twice this scheduler's own ``pollInterval`` is taken as twice the poll interval. The lease
    /// each scheduler applies to its peers is its own. A stalled runner that wakes finds its jobs
    /// taken: their outcomes are refused, and logged, but its handlers may have run alongside their
    /// retries meanwhile.
    public var runnerLease: Duration? = .seconds(300)
    /// The most jobs one claim takes.
    public var claimBatchSize: Int = 256
    /// How long before its time a job is claimed: the journal's round trip then happens before the
    /// job is due, and the scheduler starts it on time from memory (never early). Such a job shows as
    /// running from its claim, since it is about to start; at shutdown it is given back with its time
    /// unchanged, and after a crash it gets its attempt back. Zero claims a job only once it is due.
    ///
    /// A job is claimed only when a slot is free for it: a job waiting for a slot stays scheduled in
    /// the journal, where it can be cancelled or rescheduled.
    public var claimAhead: Duration = .milliseconds(10)
    /// Code that runs around every attempt's handler, the first the outermost: see
    /// ``JobMiddleware``. ``DocketMetrics`` and ``DocketTracing`` are middleware. Empty by default,
    /// and then handlers are called directly.
    public var middleware: [any JobMiddleware] = []

    /// How long ended jobs (completed, cancelled, discarded) stay in the journal before a running
    /// scheduler deletes them (the leader, when several run the journal): 24 hours, 24 hours and 7
    /// days by default. See ``JobRetention``; ``JobRetention/forever`` keeps them all.
    public var retention: JobRetention = JobRetention()

    /// For tests: the scheduler does the once-work (schedule firings, pruning) whatever the journal
    /// says of its leadership, so that two schedulers can be made to fire the same schedules at once.
    package var assumesLeadership = false

    /// The defaults; change fields as needed.
    public init() {}
}

extension SchedulerConfiguration {
    /// The lease this scheduler applies to its peers: ``runnerLease``, but never under two of its
    /// own poll intervals, which a healthy runner's heartbeats (one per safety poll) could outlast.
    var effectiveRunnerLease: Duration? {
        runnerLease.map { max($0, pollInterval * 2) }
    }
}
