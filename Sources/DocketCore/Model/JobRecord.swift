/// A job as the journal holds it.
package struct JobRecord: Sendable, Hashable {
    /// The journal's id for the job.
    package var id: JobID
    /// The job's type: it picks the handler.
    package var name: String
    /// The queue the job belongs to; `"default"` unless given.
    package var queue: String
    /// Claim priority, ``JobPriority/range``; lower runs first among due jobs.
    package var priority: Int
    /// The encoded payload the handler decodes.
    package var payload: [UInt8]
    /// Where the job is in its life.
    package var state: JobState
    /// When the job is due (wall clock).
    package var runAt: Timestamp
    /// Attempts counted so far; a claim counts one.
    package var attempt: Int
    /// Attempts allowed before the job is discarded.
    package var maxAttempts: Int
    /// A key that keeps out other jobs with it while this job holds it; see ``UniqueScope``.
    package var uniqueKey: String?
    /// The scheduler instance running the job, while ``state`` is ``JobState/running``.
    package var leaseOwner: String?
    /// When the running attempt's lease runs out, while running.
    package var leaseExpiresAt: Timestamp?
    /// When the job was inserted.
    package var createdAt: Timestamp
    /// When the job last changed.
    package var updatedAt: Timestamp
    /// When the job reached a terminal state.
    package var finishedAt: Timestamp?
    /// The error of the latest failed attempt.
    package var lastError: String?
    /// A per-job timeout that overrides the handler's, if any.
    package var timeout: Duration?
    /// A per-job retry strategy that overrides the handler's, as ``RetryStrategy/storageText``.
    package var retryOverride: String?
    /// Which states of this job hold ``uniqueKey``.
    package var uniqueScope: UniqueScope = .whileActive
    /// The schedule and firing that created the job; nil for a job scheduled directly.
    package var origin: ScheduleStamp?
    /// The propagation headers of the trace that scheduled the job, one `key=value` per line; nil
    /// when it was scheduled outside a trace, or with no tracing middleware.
    package var traceContext: String?

    /// Creates a record; journals and tests build these.
    package init(
        id: JobID, name: String, queue: String = JobDefaults.queue, priority: Int = JobDefaults.priority,
        payload: [UInt8] = [], state: JobState, runAt: Timestamp, attempt: Int = 0,
        maxAttempts: Int = JobDefaults.maxAttempts, uniqueKey: String? = nil, leaseOwner: String? = nil,
        leaseExpiresAt: Timestamp? = nil, createdAt: Timestamp, updatedAt: Timestamp,
        finishedAt: Timestamp? = nil, lastError: String? = nil, timeout: Duration? = nil,
        retryOverride: String? = nil
    ) {
        self.id = id
        self.name = name
        self.queue = queue
        self.priority = priority
        self.payload = payload
        self.state = state
        self.runAt = runAt
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.lastError = lastError
        self.timeout = timeout
        self.retryOverride = retryOverride
    }
}

/// A job to insert: what the caller decides; the journal adds id, state and bookkeeping.
package struct NewJob: Sendable, Hashable {
    /// The job's type: it picks the handler.
    package var name: String
    /// The queue the job belongs to.
    package var queue: String
    /// Claim priority, 0 (first) to 9.
    package var priority: Int
    /// The encoded payload.
    package var payload: [UInt8]
    /// When the job is due.
    package var runAt: Timestamp
    /// Attempts allowed, at least 1.
    package var maxAttempts: Int
    /// A key that keeps out other jobs with it while this job holds it; see ``UniqueScope``.
    package var uniqueKey: String?
    /// A per-job timeout, if any.
    package var timeout: Duration?
    /// A per-job retry strategy, as ``RetryStrategy/storageText``.
    package var retryOverride: String?
    /// Which states of this job hold ``uniqueKey``.
    package var uniqueScope: UniqueScope = .whileActive
    /// The schedule and firing that created the job; nil for a job scheduled directly.
    package var origin: ScheduleStamp?
    /// The propagation headers of the trace that scheduled the job, one `key=value` per line; nil
    /// when it was scheduled outside a trace, or with no tracing middleware.
    package var traceContext: String?

    /// Describes a job to insert.
    package init(
        name: String, queue: String = JobDefaults.queue, priority: Int = JobDefaults.priority,
        payload: [UInt8] = [], runAt: Timestamp, maxAttempts: Int = JobDefaults.maxAttempts,
        uniqueKey: String? = nil, timeout: Duration? = nil, retryOverride: String? = nil
    ) {
        self.name = name
        self.queue = queue
        self.priority = priority
        self.payload = payload
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
        self.timeout = timeout
        self.retryOverride = retryOverride
    }
}

/// What an insert did.
package struct InsertResult: Sendable, Hashable {
    /// The new job's id, or the id of the job that already holds the unique key.
    package var id: JobID
    /// True when another job already held the unique key; nothing was inserted.
    package var isDuplicate: Bool

    /// The result of one insert.
    package init(id: JobID, isDuplicate: Bool) {
        self.id = id
        self.isDuplicate = isDuplicate
    }
}

/// Defaults and limits shared by every store.
public enum JobDefaults {
    /// The queue of a job that names none.
    public static let queue = "default"
    /// The priority of a job that names none: the most urgent.
    public static let priority = 0
    /// Attempts allowed when neither the job nor its handler says otherwise (Oban's default).
    public static let maxAttempts = 20
    /// Priorities a job may have; 0 runs first.
    public static let priorityRange: ClosedRange<Int> = 0...9
    /// The payload limit when the configuration sets none: 1 MB, as Mergent's.
    public static let maxPayloadBytes = 1_000_000
}
