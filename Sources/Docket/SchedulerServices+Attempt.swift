import DocketCore
import Logging

extension SchedulerServices {
    /// Gets a claimed attempt ready to run with `handler`, the one registered for its name: its
    /// context and timeout.
    func prepareAttempt(_ job: JobRecord, handler: RegisteredHandler) -> PreparedAttempt {
        let timeout = job.timeout ?? handler.options.timeout ?? configuration.defaultTimeout
        var context = JobContext(
            id: job.id, name: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts,
            scheduledAt: job.runAt.date, queue: job.queue, payload: job.payload, schedulerLogger: logger)
        if let origin = job.origin {
            context.schedule = ScheduleFiring(scheduleName: origin.schedule, firedAt: origin.firing.date)
        }
        if job.traceContext != nil { context.traceHeaders = TraceHeaders.headers(job.traceContext) }
        return PreparedAttempt(handler: handler, context: context, timeout: timeout)
    }

    /// Logs and announces that `job`'s attempt starts: its handler is about to be called.
    func announceStart(of job: JobRecord) {
        emit(.started, jobID: job.id, jobName: job.name, attempt: job.attempt)
        if logger.logLevel <= .debug {
            logger.debug("docket job started", metadata: metadata(job))
        }
    }

    /// The change that records how an attempt of `job` ended, under its retry policy.
    func change(for end: AttemptEnd, job: JobRecord, handlerPolicy: RetryPolicy?) -> JobChange {
        // The common end needs neither the policy nor the random generator.
        if case .succeeded = end {
            return JobChange(id: job.id, event: .complete, expectedAttempt: job.attempt)
        }
        let policy = policy(for: job, handlerPolicy: handlerPolicy)
        let now = now()
        return random.withLock { generator in
            AttemptResolver.change(for: end, job: job, policy: policy, now: now, using: &generator)
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
        case .claim, .rescue, .cancel, .reschedule, .revive:
            break
        }
    }

    private func metadata(_ job: JobRecord, error: String?) -> Logger.Metadata {
        var metadata = metadata(job)
        if let error { metadata["error"] = "\(error)" }
        return metadata
    }
}

/// A claimed attempt ready to run: its handler, its context and its timeout.
struct PreparedAttempt: Sendable {
    let handler: RegisteredHandler
    let context: JobContext
    let timeout: Duration
}
