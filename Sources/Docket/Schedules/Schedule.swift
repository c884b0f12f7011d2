import DocketCore

/// A recurring schedule: a name, a rule, and the job each firing creates.
///
/// ```swift
/// let nightly = Schedule("nightly-report", .cron("30 2 * * *", timeZone: "Europe/London"),
///                        job: BuildReport(kind: .daily), catchUp: .latest)
/// try scheduler.declareSchedules([nightly])                 // in code, reconciled by run()
/// try await scheduler.createSchedule(perUserDigest)         // or at run time, through the API
/// ```
///
/// The jobs a schedule creates are ordinary jobs: they run, retry and show up like any other, and
/// their ``JobContext/schedule`` says which schedule and firing created them. See <doc:Schedules>.
public struct Schedule: Sendable {
    /// The schedule's identity in its journal: 1 to 255 UTF-8 bytes, no control characters.
    public var name: String
    /// When it fires.
    public var recurrence: Recurrence
    /// The name of the handler of the jobs it creates.
    public var jobName: String
    /// The payload every job gets, encoded.
    let payload: Result<[UInt8], DocketError>
    /// The jobs' options. A unique key is refused: each firing creates its own job. The retry
    /// strategy defaults to the handler's; `RetryStrategy.mergentSchedule` is Mergent's short ladder
    /// for scheduled work.
    public var options: JobOptions
    /// What a firing does while the previous job has not ended; `OverlapPolicy.allow` by default.
    public var overlap: OverlapPolicy
    /// What happens to firings missed while no scheduler ran; `CatchUpPolicy.latest` by default.
    public var catchUp: CatchUpPolicy

    /// A schedule creating jobs of a typed payload.
    public init<Payload: JobPayload>(
        _ name: String, _ recurrence: Recurrence, job: Payload, options: JobOptions = JobOptions(),
        overlap: OverlapPolicy = .allow, catchUp: CatchUpPolicy = .latest
    ) {
        self.init(name, recurrence, jobName: Payload.jobName, payload: PayloadCoding.encode(job), options: options, overlap: overlap, catchUp: catchUp)
    }

    /// A schedule creating jobs of a name and raw payload bytes.
    public init(
        _ name: String, _ recurrence: Recurrence, jobName: String, payload: [UInt8] = [],
        options: JobOptions = JobOptions(), overlap: OverlapPolicy = .allow, catchUp: CatchUpPolicy = .latest
    ) {
        self.init(name, recurrence, jobName: jobName, payload: .success(payload), options: options, overlap: overlap, catchUp: catchUp)
    }

    private init(
        _ name: String, _ recurrence: Recurrence, jobName: String, payload: Result<[UInt8], DocketError>,
        options: JobOptions, overlap: OverlapPolicy, catchUp: CatchUpPolicy
    ) {
        self.name = name
        self.recurrence = recurrence
        self.jobName = jobName
        self.payload = payload
        self.options = options
        self.overlap = overlap
        self.catchUp = catchUp
    }

    /// The journal's form, every value checked.
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` for a bad name, rule, zone, option or catch-up
    ///   limit; ``DocketError/encodingFailed(name:underlying:)`` for a payload that does not encode.
    func definition() throws(DocketError) -> ScheduleDefinition {
        try JobValidation.validate(scheduleName: name)
        try JobValidation.validate(name: jobName)
        let spec = try recurrence.spec()
        _ = try CompiledRecurrence(spec: spec, anchor: Timestamp(microsecondsSinceEpoch: 0))
        if let key = options.uniqueKey {
            throw .invalid(.uniqueKey, key, "a schedule's jobs cannot have a unique key: each firing creates its own job; leave uniqueKey nil")
        }
        if let maxAttempts = options.maxAttempts { try JobValidation.validate(maxAttempts: maxAttempts) }
        let priority = options.priority ?? JobDefaults.priority
        try JobValidation.validate(priority: priority)
        let queue = options.queue ?? JobDefaults.queue
        try JobValidation.validate(queue: queue)
        if let timeout = options.timeout { try JobValidation.validate(timeout: timeout) }
        if case .all(let limit) = catchUp.mode, !(1...CatchUpPolicy.maximumLimit).contains(limit) {
            throw .invalid(.catchUp, "\(limit)", "the limit of all(limit:) must be 1 to \(CatchUpPolicy.maximumLimit)")
        }
        if let window = catchUp.window, window <= .zero {
            throw .invalid(.catchUp, "\(window)", "the catch-up window must be above zero; leave it nil for none")
        }
        return ScheduleDefinition(
            name: name, recurrence: spec,
            job: JobTemplate(
                name: jobName, payload: try payload.get(), queue: queue, priority: priority,
                maxAttempts: options.maxAttempts, timeout: options.timeout, retryOverride: options.retry?.storageText),
            overlap: overlap, catchUp: catchUp)
    }
}
