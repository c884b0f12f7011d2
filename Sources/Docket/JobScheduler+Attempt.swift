import DocketCore
import Logging

extension JobScheduler {
    /// Runs one claimed attempt and journals its outcome.
    func perform(_ job: JobRecord) async {
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.name"] = "\(job.name)"
        logger[metadataKey: "job.attempt"] = "\(job.attempt)"
        guard let handler = handler(for: job.name) else {
            // Claims only take names with a handler, and handlers are never removed.
            logger.error("docket claimed a job with no handler; giving it back")
            await record(JobChange(id: job.id, event: .release(runAt: now()), expectedAttempt: job.attempt), job: job, logger: logger)
            return
        }
        let timeout = job.timeout ?? handler.options.timeout ?? configuration.defaultTimeout
        let sleepAfter = configuration.clock.anchoredSleeper()
        emit(SchedulerEvent(.started, jobID: job.id, jobName: job.name, attempt: job.attempt))
        logger.debug("docket job started")
        let context = JobContext(
            id: job.id, name: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts,
            scheduledAt: job.runAt.date, queue: job.queue, payload: job.payload, logger: logger)
        let end = await AttemptRace.run(handler: handler, context: context, timeout: timeout, sleepAfter: sleepAfter)
        let policy = policy(for: job)
        let change = random.withLock { generator in
            AttemptResolver.change(for: end, job: job, policy: policy, now: now(), using: &generator)
        }
        await record(change, job: job, logger: logger)
    }

    /// Journals an attempt's outcome, retrying journal failures (a full disk, a busy lock) until it
    /// lands; under cancellation it gives up after a few tries and crash recovery settles the job.
    func record(_ change: JobChange, job: JobRecord, logger: Logger) async {
        var delay = Duration.milliseconds(5)
        var triesUnderCancellation = 0
        while true {
            do {
                switch try await store.apply([change], now: now())[0] {
                case .success:
                    report(change, job: job, logger: logger)
                case .failure(let refusal):
                    logger.warning("docket job changed while it ran; outcome not recorded", metadata: ["reason": "\(refusal)"])
                }
                return
            } catch {
                logger.error("docket could not record a job's outcome; retrying", metadata: ["error": "\(error)"])
                if Task.isCancelled {
                    triesUnderCancellation += 1
                    if triesUnderCancellation >= 3 { return }
                    continue
                }
                try? await configuration.clock.sleep(for: delay)
                delay = min(delay * 2, configuration.pollInterval)
            }
        }
    }

    private func report(_ change: JobChange, job: JobRecord, logger: Logger) {
        let event = { (kind: SchedulerEvent.Kind, runAt: Timestamp?) in
            SchedulerEvent(kind, jobID: job.id, jobName: job.name, attempt: job.attempt, runAt: runAt, error: change.error)
        }
        switch change.event {
        case .complete:
            logger.info("docket job succeeded")
            emit(event(.succeeded, nil))
        case .retry(let runAt):
            logger.warning("docket job failed; will retry", metadata: ["error": "\(change.error ?? "")"])
            emit(event(.failed, nil))
            emit(event(.retryScheduled, runAt))
            send(.scheduled([.init(timer: TimerEntry(id: job.id, deadline: runAt, priority: job.priority), name: job.name)]))
        case .discard:
            logger.error("docket job discarded", metadata: ["error": "\(change.error ?? "")"])
            emit(event(.failed, nil))
            emit(event(.discarded, nil))
        case .snooze(let runAt):
            logger.info("docket job snoozed")
            emit(event(.snoozed, runAt))
            send(.scheduled([.init(timer: TimerEntry(id: job.id, deadline: runAt, priority: job.priority), name: job.name)]))
        case .release(let runAt):
            logger.info("docket job released for the next start")
            emit(event(.released, runAt))
        case .claim, .rescue, .cancel, .reschedule:
            break
        }
    }
}
