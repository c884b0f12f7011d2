import DocketCore

/// Per-job choices that override the handler's and the configuration's defaults.
public struct JobOptions: Sendable, Hashable {
    /// A key that keeps a second job with it out while this job holds it: scheduling a job whose key
    /// is held inserts nothing and returns the holder's id with ``ScheduledJob/isDuplicate``. How long
    /// the key is held is ``uniqueScope``.
    public var uniqueKey: String?
    /// Which states of the job hold ``uniqueKey``: by default `.whileActive`, while it is
    /// scheduled or running; `.whileActiveOrCompleted` also after it completed, until the
    /// job is removed from the journal, for work to do once. Ignored without a ``uniqueKey``.
    public var uniqueScope: UniqueScope
    /// 0 (first) to 9 (last) among due jobs (of its queue, once queues are declared); default 0.
    public var priority: Int?
    /// The job's queue; default `"default"`. A label, unless the queue is declared in
    /// ``SchedulerConfiguration/queues``: then the queue's limits and pause apply to the job.
    public var queue: String?
    /// Attempts before the job is discarded; at least 1.
    public var maxAttempts: Int?
    /// How long one attempt may run.
    public var timeout: Duration?
    /// How failures are retried; overrides the handler's policy for this job.
    public var retry: RetryStrategy?

    /// Options for one job; nil fields fall back to the handler's and the configuration's.
    ///
    /// ```swift
    /// // Sent once per user, however often sign-up is retried.
    /// try await scheduler.schedule(
    ///     SendWelcomeEmail(userID: 7),
    ///     options: JobOptions(uniqueKey: "welcome-7", uniqueScope: .whileActiveOrCompleted))
    /// ```
    public init(
        uniqueKey: String? = nil, uniqueScope: UniqueScope = .whileActive, priority: Int? = nil,
        queue: String? = nil, maxAttempts: Int? = nil, timeout: Duration? = nil, retry: RetryStrategy? = nil
    ) {
        self.uniqueKey = uniqueKey
        self.uniqueScope = uniqueScope
        self.priority = priority
        self.queue = queue
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.retry = retry
    }
}

/// What scheduling a job did.
public struct ScheduledJob: Sendable, Hashable {
    /// The job's id: the new job's, or, for a duplicate unique key, the holder's.
    public var id: JobID
    /// True when another job already held the unique key (see `UniqueScope`) and nothing was added.
    public var isDuplicate: Bool
}

/// A job in a batch for ``JobScheduler/schedule(_:)``.
public struct JobRequest: Sendable {
    let name: String
    let payload: Result<[UInt8], DocketError>
    let timing: JobTiming
    let options: JobOptions

    /// A job of a typed payload.
    public init<Payload: JobPayload>(_ payload: Payload, _ timing: JobTiming = .now, options: JobOptions = JobOptions()) {
        self.name = Payload.jobName
        self.payload = PayloadCoding.encode(payload)
        self.timing = timing
        self.options = options
    }

    /// A job of a name and raw payload bytes.
    public init(name: String, payload: [UInt8] = [], _ timing: JobTiming = .now, options: JobOptions = JobOptions()) {
        self.name = name
        self.payload = .success(payload)
        self.timing = timing
        self.options = options
    }
}
