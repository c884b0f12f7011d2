import DocketCore
import Logging
import ServiceLifecycle

extension JobScheduler: Service {
    /// Runs jobs until the task is cancelled or a graceful shutdown arrives.
    ///
    /// On start it takes the journal's runner lock, then rescues every job an earlier instance left
    /// running. On graceful shutdown it stops claiming, gives running jobs the configured grace period,
    /// then cancels them; attempts that did not finish go back to the journal without counting, so
    /// nothing is left running. Task cancellation is a shutdown with no grace period.
    ///
    /// - Throws: ``DocketError/alreadyRunning(holder:)`` when another scheduler runs the journal,
    ///   ``DocketError/runCalledTwice`` when this one already runs, and ``DocketError/journal(_:)``
    ///   when crash recovery cannot read or write the journal.
    public func run() async throws {
        let lock = try runnerLockPath.map { path throws(DocketError) in
            try RunnerLock.acquire(path: path, instanceID: instanceID)
        }
        defer { lock?.release() }
        let inbox = LoopMailbox()
        let installed = mailbox.withLock { mailbox in
            guard mailbox == nil else { return false }
            mailbox = inbox
            return true
        }
        guard installed else { throw DocketError.runCalledTwice }
        defer {
            mailbox.withLock { $0 = nil }
            inbox.close()
        }
        logger.info("docket scheduler starting", metadata: ["docket.instance": "\(instanceID)"])
        try await rescueOrphans()
        var loop = SchedulerLoop(scheduler: self)
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await loop.run(inbox)
            } onCancel: {
                inbox.send(.shutdown(graceSleep: nil))
            }
        } onGracefulShutdown: { [configuration] in
            let sleepAfter = configuration.clock.anchoredSleeper()
            let grace = configuration.shutdownGracePeriod
            inbox.send(.shutdown(graceSleep: { try await sleepAfter(grace) }))
        }
        logger.info("docket scheduler stopped", metadata: ["docket.instance": "\(instanceID)"])
    }

    /// Moves jobs that an earlier instance left running back to scheduled (under their retry policy)
    /// or to discarded when their attempts are spent.
    func rescueOrphans() async throws(DocketError) {
        let now = now()
        let rescued = try await DocketError.wrapping {
            try await store.rescueOrphans(currentOwner: instanceID, now: now) { [self] job in
                let context = RetryContext(
                    jobName: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts,
                    error: InterruptedAttempt(attempt: job.attempt))
                let decision = random.withLock { policy(for: job).decision(for: context, using: &$0) }
                if case .retry(let delay) = decision { return now + delay }
                return now
            }
        }
        for rescue in rescued {
            let job = rescue.job
            logger.warning(
                "rescued a job interrupted by a crash",
                metadata: metadata(job).merging(["job.state": "\(job.state)"]) { $1 })
            emit(.rescued, jobID: job.id, jobName: job.name, attempt: job.attempt, runAt: job.runAt, error: job.lastError)
        }
    }

    /// The retry policy of a job: its own override, else its handler's, else the configuration's.
    func policy(for job: JobRecord) -> RetryPolicy {
        policy(for: job, handlerPolicy: handler(for: job.name)?.options.retry)
    }

    /// The retry policy of a job whose handler's policy is known.
    func policy(for job: JobRecord, handlerPolicy: RetryPolicy?) -> RetryPolicy {
        if let text = job.retryOverride, let strategy = RetryStrategy(storageText: text) {
            return .strategy(strategy)
        }
        return handlerPolicy ?? configuration.defaultRetryPolicy
    }

    /// What identifies a job in the scheduler's logs; never its payload.
    func metadata(_ job: JobRecord) -> Logger.Metadata {
        ["job.id": "\(job.id)", "job.name": "\(job.name)", "job.attempt": "\(job.attempt)", "job.queue": "\(job.queue)"]
    }
}

/// The error a rescued job's retry policy sees.
struct InterruptedAttempt: Error, CustomStringConvertible {
    let attempt: Int
    var description: String { "attempt \(attempt) was interrupted: the process running it stopped" }
}
