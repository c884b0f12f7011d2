import DocketCore
import Logging

extension SchedulerServices {
    /// Starts one claimed attempt in a task of its own; `onEnd` receives the change that records how
    /// it ended (once), which the run loop journals with the next tick. Returns nil when the attempt
    /// ended before it began (no handler), after `onEnd` was called.
    func startAttempt(
        _ job: JobRecord, timeouts: TimeoutMonitor, startLog: StartLog?, priority: TaskPriority,
        onEnd: @escaping @Sendable (JobChange) -> Void
    ) -> AttemptRace? {
        guard let handler = handler(for: job.name) else {
            // Claims only take names with a handler, and handlers are never removed.
            logger.error("docket claimed a job with no handler; giving it back", metadata: metadata(job))
            onEnd(JobChange(id: job.id, event: .release(runAt: now()), expectedAttempt: job.attempt))
            return nil
        }
        let timeout = job.timeout ?? handler.options.timeout ?? configuration.defaultTimeout
        // Marked before the handler can run: crash recovery counts the attempt of a marked job only.
        startLog?.started(job)
        let deadline = timeouts.deadline(after: timeout)
        emit(.started, jobID: job.id, jobName: job.name, attempt: job.attempt)
        let context = JobContext(
            id: job.id, name: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts,
            scheduledAt: job.runAt.date, queue: job.queue, payload: job.payload, schedulerLogger: logger)
        if logger.logLevel <= .debug { context.logger.debug("docket job started") }
        let handlerPolicy = handler.options.retry
        return AttemptRace.start(
            handler: handler, context: context, timeout: timeout, deadline: deadline, timeouts: timeouts,
            priority: priority
        ) { [self] end in
            let policy = policy(for: job, handlerPolicy: handlerPolicy)
            let change = random.withLock { generator in
                AttemptResolver.change(for: end, job: job, policy: policy, now: now(), using: &generator)
            }
            onEnd(change)
        }
    }

    /// Logs and announces a change the journal has applied.
    ///
    /// A job that ends as planned (success, snooze, release at shutdown) is routine and logs at
    /// `.debug`, so that a busy scheduler's `.info` stays readable; a failure that will be retried is a
    /// `.warning` and a discarded job an `.error`, as someone may have to act on them. The payload is
    /// never logged: it may hold personal data or secrets.
    func report(_ change: JobChange, job: JobRecord) {
        let announce = { (kind: SchedulerEvent.Kind, runAt: Timestamp?) in
            self.emit(kind, jobID: job.id, jobName: job.name, attempt: job.attempt, runAt: runAt, error: change.error)
        }
        switch change.event {
        case .complete:
            logger.debug("docket job succeeded", metadata: metadata(job))
            announce(.succeeded, nil)
        case .retry(let runAt):
            logger.warning("docket job failed; will retry", metadata: metadata(job, error: change.error))
            announce(.failed, nil)
            announce(.retryScheduled, runAt)
        case .discard:
            logger.error("docket job discarded", metadata: metadata(job, error: change.error))
            announce(.failed, nil)
            announce(.discarded, nil)
        case .snooze(let runAt):
            logger.debug("docket job snoozed", metadata: metadata(job))
            announce(.snoozed, runAt)
        case .release(let runAt):
            logger.debug("docket job given back for the next start", metadata: metadata(job))
            announce(.released, runAt)
        case .claim, .rescue, .cancel, .reschedule:
            break
        }
    }

    private func metadata(_ job: JobRecord, error: String?) -> Logger.Metadata {
        var metadata = metadata(job)
        if let error { metadata["error"] = "\(error)" }
        return metadata
    }
}
