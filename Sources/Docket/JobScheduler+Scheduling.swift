import DocketCore

extension JobScheduler {
    /// Schedules a job of a typed payload; returns once the job is durable.
    ///
    /// - Returns: the job's id, or the holder's id when its unique key is taken (`isDuplicate`).
    /// - Throws: nothing was scheduled then.
    ///   - ``DocketError/invalidInput(_:)`` for an invalid name, option, delay or date;
    ///   - ``DocketError/encodingFailed(name:underlying:)`` when the payload does not encode;
    ///   - ``DocketError/storage(_:)`` for a payload over the limit
    ///     (``DocketError/StorageFailure/Kind/payloadTooLarge(size:limit:)``) or a journal failure.
    @discardableResult
    public func schedule<Payload: JobPayload>(
        _ payload: Payload, _ timing: JobTiming = .now, options: JobOptions = JobOptions()
    ) async throws(DocketError) -> ScheduledJob {
        try await schedule([JobRequest(payload, timing, options: options)])[0]
    }

    /// Schedules a job by name with raw payload bytes; returns once the job is durable.
    ///
    /// - Throws: as ``schedule(_:_:options:)``.
    @discardableResult
    public func schedule(
        name: String, payload: [UInt8] = [], _ timing: JobTiming = .now, options: JobOptions = JobOptions()
    ) async throws(DocketError) -> ScheduledJob {
        try await schedule([JobRequest(name: name, payload: payload, timing, options: options)])[0]
    }

    /// Schedules many jobs in one transaction: all of them or, on any error, none.
    ///
    /// - Throws: as ``schedule(_:_:options:)``, for the first request that fails.
    @discardableResult
    public func schedule(_ requests: [JobRequest]) async throws(DocketError) -> [ScheduledJob] {
        guard !requests.isEmpty else { return [] }
        let now = now()
        var jobs: [NewJob] = []
        jobs.reserveCapacity(requests.count)
        // One trace context for the batch: the calling task's.
        let traceContext = services.tracing?.currentContextText()
        for request in requests {
            var job = try newJob(request, now: now)
            job.traceContext = traceContext
            jobs.append(job)
        }
        let results = try await DocketError.wrapping { try await store.insert(jobs, now: now) }
        var scheduled: [ScheduledJob] = []
        scheduled.reserveCapacity(results.count)
        var entries: [LoopMessage.Entry] = []
        for (job, result) in zip(jobs, results) {
            scheduled.append(ScheduledJob(id: result.id, isDuplicate: result.isDuplicate))
            guard !result.isDuplicate else { continue }
            entries.append(.init(timer: TimerEntry(id: result.id, deadline: job.runAt, priority: job.priority), name: job.name))
            emit(.scheduled, jobID: result.id, jobName: job.name, runAt: job.runAt)
        }
        if !entries.isEmpty { send(.scheduled(entries)) }
        return scheduled
    }

    private func newJob(_ request: JobRequest, now: Timestamp) throws(DocketError) -> NewJob {
        try JobValidation.validate(name: request.name)
        let options = request.options
        let handlerOptions = handler(for: request.name)?.options
        let maxAttempts = options.maxAttempts ?? handlerOptions?.maxAttempts ?? configuration.defaultMaxAttempts
        try JobValidation.validate(maxAttempts: maxAttempts)
        let priority = options.priority ?? JobDefaults.priority
        try JobValidation.validate(priority: priority)
        if let key = options.uniqueKey { try JobValidation.validate(uniqueKey: key) }
        let queue = options.queue ?? JobDefaults.queue
        try JobValidation.validate(queue: queue)
        if let timeout = options.timeout { try JobValidation.validate(timeout: timeout) }
        let payload = try request.payload.get()
        var job = NewJob(
            name: request.name, queue: queue, priority: priority, payload: payload,
            runAt: try request.timing.runAt(now: now), maxAttempts: maxAttempts, uniqueKey: options.uniqueKey,
            timeout: options.timeout, retryOverride: options.retry?.storageText)
        job.uniqueScope = options.uniqueScope
        return job
    }

    /// Cancels a scheduled or running job: it ends as cancelled and will not run again.
    ///
    /// A running job ends at once in the journal, with its attempt recorded as cancelled, and the
    /// scheduler that runs it (this one, or another process's, which sees the change within its
    /// ``SchedulerConfiguration/changeCheckInterval``) cancels its handler's task and frees its slot.
    /// Cancellation is cooperative: a handler that never checks for it (`Task.checkCancellation()`,
    /// or an awaited call that honours it) runs on to its end, but whatever it returns or throws is
    /// ignored, and its side effects are its own. Make such work idempotent, or check often.
    ///
    /// - Throws: ``DocketError/jobNotCancellable(_:state:)`` when it already ended,
    ///   ``DocketError/jobNotFound(_:)`` for an unknown id, and ``DocketError/storage(_:)`` when the
    ///   journal fails.
    public func cancel(_ id: JobID) async throws(DocketError) {
        try await command(JobChange(id: id, event: .cancel))
        if hub.wants(.cancelled) {
            emit(.cancelled, jobID: id, jobName: (try? await store.job(id))?.name ?? "")
        }
    }

    /// Makes a scheduled job due now.
    ///
    /// - Throws: as ``reschedule(_:to:)``.
    public func runNow(_ id: JobID) async throws(DocketError) {
        try await reschedule(id, to: .now)
    }

    /// Moves a scheduled job to a new time.
    ///
    /// - Throws: ``DocketError/jobNotScheduled(_:state:)`` when it is running or finished,
    ///   ``DocketError/jobNotFound(_:)`` for an unknown id, ``DocketError/invalidInput(_:)`` for an
    ///   invalid delay or date, and ``DocketError/storage(_:)`` when the journal fails.
    public func reschedule(_ id: JobID, to timing: JobTiming) async throws(DocketError) {
        let runAt = try timing.runAt(now: now())
        try await command(JobChange(id: id, event: .reschedule(runAt: runAt)))
        if let job = try? await store.job(id) {
            send(.scheduled([.init(timer: TimerEntry(id: id, deadline: runAt, priority: job.priority), name: job.name)]))
        }
    }

    /// Runs a discarded or cancelled job again: it becomes scheduled at `timing` with as many
    /// attempts again as it was allowed (a job discarded after 5 of 5 may run 5 more times), and keeps
    /// its attempts so far and their errors. The operator's retry of Sidekiq, Oban and River.
    ///
    /// - Throws: ``DocketError/jobNotRetryable(_:state:)`` when the job is scheduled, running or
    ///   completed; ``DocketError/uniqueKeyHeld(_:holder:)`` when another job holds its unique key;
    ///   ``DocketError/jobNotFound(_:)`` for an unknown id; ``DocketError/invalidInput(_:)`` for an
    ///   invalid delay or date; ``DocketError/storage(_:)`` when the journal fails.
    public func retry(_ id: JobID, at timing: JobTiming = .now) async throws(DocketError) {
        let runAt = try timing.runAt(now: now())
        try await command(JobChange(id: id, event: .revive(runAt: runAt)))
        if let job = try? await store.job(id) {
            send(.scheduled([.init(timer: TimerEntry(id: id, deadline: runAt, priority: job.priority), name: job.name)]))
            emit(.scheduled, jobID: id, jobName: job.name, runAt: runAt)
        }
    }

    private func command(_ change: JobChange) async throws(DocketError) {
        let result = try await DocketError.wrapping { try await store.apply([change], now: now())[0] }
        switch result {
        case .success:
            if case .cancel = change.event { send(.cancelled(change.id)) }
        case .failure(let refusal):
            switch refusal.reason {
            case .notFound: throw .jobNotFound(change.id)
            case .wrongState(let state):
                switch change.event {
                case .revive: throw .jobNotRetryable(change.id, state: state)
                case .cancel: throw .jobNotCancellable(change.id, state: state)
                default: throw .jobNotScheduled(change.id, state: state)
                }
            case .uniqueKeyHeld(let holder): throw .uniqueKeyHeld(change.id, holder: holder)
            case .attemptMismatch, .attemptsExhausted: throw .jobNotScheduled(change.id, state: .running)
            }
        }
    }
}
