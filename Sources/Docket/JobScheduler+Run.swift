import DocketCore
import Logging
import ServiceLifecycle

extension JobScheduler: Service {
    /// Runs jobs until the task is cancelled, a graceful shutdown arrives (from a `ServiceGroup`), or
    /// ``shutdown(gracePeriod:)`` is called.
    ///
    /// On start it registers as a runner of the journal (for a journal file, a lock file of its own
    /// beside it; other schedulers may run the same journal at the same time), then rescues every
    /// job that a dead scheduler (an earlier run, or another process that died) left running: a job
    /// whose handler had started is retried under its retry policy (or discarded when its attempts
    /// are spent); a job that was claimed but whose handler never started gets its attempt back.
    /// Jobs of schedulers that still run are left alone, and while it runs it rescues those of a
    /// scheduler that dies, at each safety poll. It then reconciles the journal with the schedules declared by
    /// ``declareSchedules(_:)``, if any were. Then ``waitUntilRunning()`` returns, and due schedules
    /// fire as their time comes: fired, like pruning, by the one scheduler that leads the journal's
    /// runners (this one when it runs the journal alone; another takes over within a safety poll when
    /// the leader stops or dies).
    ///
    /// On graceful shutdown it stops claiming, gives running jobs the grace period, then cancels them;
    /// attempts that did not finish go back to the journal without counting, so nothing is left
    /// running. Task cancellation is a shutdown with no grace period. A handler that ignores
    /// cancellation is not waited for: its attempt ends (and is journaled) at its timeout or at the
    /// end of the grace period, and `run()` returns without it; its task runs on until the handler
    /// returns, and what it returns is ignored.
    ///
    /// The journal stays open after `run()` returns, for inspection; `run()` may be called again.
    ///
    /// - Throws: only ``DocketError``:
    ///   - ``DocketError/alreadyRunning(holder:)`` when this instance's runner registration (for a
    ///     journal file, its runner file) is held by someone else;
    ///   - ``DocketError/runCalledTwice`` when this one already runs;
    ///   - ``DocketError/invalidInput(_:)`` (field ``DocketError/InvalidInput/Field/retention``) for a
    ///     retention the configuration got wrong;
    ///   - ``DocketError/scheduleExists(name:)`` when a declared schedule's name is held by one
    ///     created through the API;
    ///   - ``DocketError/storage(_:)`` when the runner file or the start log cannot be opened (kind
    ///     ``DocketError/StorageFailure/Kind/cannotOpen``) or crash recovery cannot read or write the
    ///     journal (for example ``DocketError/StorageFailure/Kind/diskFull`` or
    ///     ``DocketError/StorageFailure/Kind/busy``; retry once the cause is gone).
    ///
    ///   Once recovery is done, failures of the journal no longer end `run()`: outcomes wait in memory
    ///   and are written when the journal works again.
    public func run() async throws {
        guard let inbox = runControl.begin() else { throw DocketError.runCalledTwice }
        var failure: (any Error)?
        defer {
            inbox.close()
            runControl.ended(failure: failure)
        }
        do {
            try await runBody(inbox)
        } catch {
            failure = error
            throw error
        }
    }

    private func runBody(_ inbox: LoopMailbox) async throws {
        try configuration.retention.validate()
        try configuration.queues.validate()
        let lock = try registerRunner(lease: RunnerLease(configuration.effectiveRunnerLease))
        defer { lock?.release() }
        logger.info("docket scheduler starting", metadata: ["docket.instance": "\(instanceID)"])
        let startLog = try lock?.startLogPath(of: instanceID).map { path throws(DocketError) in try StartLog(path: path) }
        defer { startLog?.close() }
        try await rescueOrphans(lock: lock)
        try await reconcileDeclaredSchedules()
        try await declareQueues()
        try startLog?.begin(owner: instanceID)
        let rescueDeadPeers = lock.map { lock in
            let handled = Locked<Set<PeerRescue>>([])
            return { @Sendable [self] () async -> Bool in await beatAndRescuePeers(lock: lock, handled: handled) }
        }
        let leads = await services.checkLeadership()
        if !leads {
            logger.info(
                "docket scheduler follows: another runner of the journal fires the schedules and prunes",
                metadata: ["docket.instance": "\(instanceID)"])
        }
        var loop = SchedulerLoop(
            services: services, inbox: inbox, startLog: startLog, rescueDeadPeers: rescueDeadPeers, leads: leads)
        runControl.becameReady()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await loop.run()
            } onCancel: {
                inbox.send(.shutdown(graceSleep: nil))
            }
        } onGracefulShutdown: { [configuration] in
            inbox.send(.shutdown(graceSleep: Self.graceSleep(configuration.shutdownGracePeriod, configuration)))
        }
        await services.resignLeadership()
        logger.info("docket scheduler stopped", metadata: ["docket.instance": "\(instanceID)"])
    }

    /// Returns once ``run()`` has taken the journal and rescued what an earlier run left, and runs
    /// jobs: for code that must know, such as a test or a health check. Waits for `run()` to be
    /// called if it has not been yet.
    ///
    /// - Throws: the error `run()` failed with, ``DocketError/notRunning`` when `run()` returned
    ///   before it was ready, or `CancellationError` when the calling task is cancelled first.
    public func waitUntilRunning() async throws {
        try await runControl.waitUntilRunning()
    }

    /// Stops ``run()`` gracefully and returns once it has returned: claiming stops, running jobs get
    /// `gracePeriod` (the configuration's ``SchedulerConfiguration/shutdownGracePeriod`` when nil)
    /// to finish, then they are cancelled and given back to the journal. Returns at once when `run()`
    /// is not active, and stops waiting (the shutdown goes on) when the calling task is cancelled.
    ///
    /// A `ServiceGroup` does the same on its graceful shutdown; call this when you run the scheduler
    /// yourself.
    public func shutdown(gracePeriod: Duration? = nil) async {
        let grace = max(gracePeriod ?? configuration.shutdownGracePeriod, .zero)
        runControl.mailbox?.send(.shutdown(graceSleep: Self.graceSleep(grace, configuration)))
        await runControl.waitUntilIdle()
    }

    /// A sleep of `grace` on the configuration's clock, anchored now: when the shutdown was asked for.
    private static func graceSleep(
        _ grace: Duration, _ configuration: SchedulerConfiguration
    ) -> @Sendable () async throws -> Void {
        let sleepAfter = configuration.clock.anchoredSleeper()
        return { try await sleepAfter(grace) }
    }

    /// Moves jobs that a dead scheduler (an earlier run, or another process that died) left running
    /// back to scheduled (under their retry policy) or to discarded when their attempts are spent; a
    /// job whose handler never started, as its owner's start log shows, gets its attempt back
    /// instead. Jobs of schedulers that still run, in this process or another, are left alone: the
    /// store's registry (`lock`) says which do. Then removes the registrations of the dead
    /// schedulers found.
    @discardableResult
    func rescueOrphans(lock: (any RunnerRegistration)?) async throws(DocketError) -> Bool {
        let now = now()
        let services = self.services
        let marks = Locked<[String: StartLog.Marks?]>([:])
        let rescued = try await DocketError.wrapping {
            try await store.rescueOrphans(
                currentOwner: instanceID, now: now,
                isAlive: { owner in lock?.isAlive(owner) ?? false },
                retryAt: { job in
                    let context = RetryContext(
                        jobName: job.name, attempt: job.attempt, maxAttempts: job.maxAttempts,
                        error: InterruptedAttempt(attempt: job.attempt))
                    let policy = services.policy(for: job)
                    let decision = services.random.withLock { policy.decision(for: context, using: &$0) }
                    if case .retry(let delay) = decision { return now + delay }
                    return now
                },
                wasStarted: { job in
                    guard let lock, let owner = job.leaseOwner else { return true }
                    // A stalled owner may wake and start the handler yet: its attempt stays counted, so
                    // that its late end, expecting this attempt, can never match a later one.
                    if lock.isHeld(owner) { return true }
                    let ownerMarks = marks.withLock { known in
                        if let found = known[owner] { return found }
                        let found = lock.startLogPath(of: owner).flatMap { StartLog.marks(atPath: $0) }
                        known[owner] = found
                        return found
                    }
                    return ownerMarks?.mayHaveStarted(job) ?? true
                })
        }
        if let lock {
            for owner in lock.deadPeers() { lock.removeDead(owner) }
        }
        for rescue in rescued {
            let job = rescue.job
            logger.warning(
                "rescued a job interrupted by a crash",
                metadata: metadata(job).merging(["job.state": "\(job.state)"]) { $1 })
            emit(.rescued, jobID: job.id, jobName: job.name, attempt: job.attempt, runAt: job.runAt, error: job.lastError)
        }
        return !rescued.isEmpty
    }
}

/// The error a rescued job's retry policy sees.
struct InterruptedAttempt: Error, CustomStringConvertible {
    let attempt: Int
    var description: String { "attempt \(attempt) was interrupted: the process running it stopped" }
}
