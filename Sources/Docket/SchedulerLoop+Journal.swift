import DocketCore
import Logging

extension SchedulerLoop {
    /// Sends one tick to the journal: the ended attempts and a claim for the free slots, in one
    /// transaction. It does not wait: the journal's answer comes back as ``LoopMessage/committed(_:)``.
    /// Returns false, sending nothing, when the writer's thread has sent a tick this loop has not
    /// heard of yet (``TickSequence``).
    mutating func submitTick(claimLimit: Int, dueBy: Timestamp, now: Timestamp, elapsed: Duration) -> Bool {
        guard let ticks, let sequence = ticks.sequenceForLoop(after: lastKnownTick) else { return false }
        lastKnownTick = sequence
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        let names = claimLimit > 0 ? services.handledNames : []
        let limit = names.isEmpty ? 0 : claimLimit
        let configuration = services.configuration
        let request = limit == 0
            ? nil
            : ClaimRequest(
                dueBy: dueBy, limit: limit, owner: services.instanceID,
                leaseExpiresAt: now + configuration.defaultTimeout + configuration.shutdownGracePeriod,
                names: names, now: now)
        state.tickSubmitted(outcomes: batch.count, claimLimit: limit, dueBy: dueBy)
        let tick = Tick(sequence: sequence, batch: batch, claim: request, dueBy: dueBy, now: now, elapsed: elapsed)
        ticks.send(tick)
        return true
    }

    /// Takes a tick's report; reports are applied in the order their ticks were sent, since the
    /// dispatch state's view of what may be due depends on it.
    mutating func received(_ report: TickReport) {
        arrivedTicks[report.tick.sequence] = report
        while let next = arrivedTicks.removeValue(forKey: nextTickToApply) {
            nextTickToApply += 1
            apply(next)
        }
    }

    private mutating func apply(_ report: TickReport) {
        let tick = report.tick
        let result: TickResult
        switch report.result {
        case .success(let value):
            result = value
        case .failure(let error):
            pending.insert(contentsOf: tick.batch, at: 0)
            state.tickFailed(outcomes: tick.batch.count, claimLimit: tick.claimLimit)
            commitFailures += 1
            let backoff = min(Duration.milliseconds(5) * (1 << min(commitFailures, 10)), services.configuration.pollInterval)
            commitRetryAt = clock.elapsed() + backoff
            services.logger.error(
                "docket could not write to the journal; retrying",
                metadata: ["error": "\(error)", "docket.pending": "\(pending.count)"])
            return
        }
        commitFailures = 0
        commitRetryAt = nil
        // The outcomes are in the journal: the starts they close need no mark any more.
        if !tick.batch.isEmpty { startLog?.settled(tick.batch.lazy.map(\.job)) }
        for (entry, outcome) in zip(tick.batch, result.changes) {
            switch outcome {
            case .success:
                services.report(entry.change, job: entry.job)
                // A held firing waits for this job's end.
                if schedulesHeld, entry.job.origin != nil { schedulePassWanted = true }
                if let runAt = entry.change.event.runAt, !draining {
                    state.scheduled(TimerEntry(id: entry.job.id, deadline: runAt, priority: entry.job.priority), now: tick.now)
                }
            case .failure(let refusal):
                services.logger.warning(
                    "docket job changed while it ran; its outcome was not recorded",
                    metadata: services.metadata(entry.job).merging(["reason": "\(refusal)"]) { $1 })
            }
        }
        state.committed(
            outcomes: tick.batch.count, claimed: result.claimed.map(\.id), limit: tick.claimLimit, dueBy: tick.dueBy,
            at: services.now(), hold: result.hold)
        if let next = report.continuation {
            // The writer's thread sent the next tick itself, with the attempts that ended meanwhile.
            for _ in next.batch { state.finished() }
            state.tickSubmitted(
                outcomes: next.batch.count, claimLimit: next.claimLimit, dueBy: next.dueBy, reportedLate: true)
            lastKnownTick = max(lastKnownTick, next.sequence)
        }
        // The due jobs went to the runners when the journal answered; those claimed ahead wait here.
        let ahead = result.claimed.filter { $0.runAt > tick.now }
        if draining {
            // Claimed by a tick sent before the shutdown and not started: give them back.
            let notStarted = (runners?.takeWaiting() ?? []) + ahead
            for job in notStarted {
                pending.append((job, Self.release(job, now: tick.now)))
            }
            state.drain(released: notStarted.count)
        } else {
            for job in ahead {
                // Held until the wall clock reaches its run-at, or the monotonic clock the same
                // distance ahead, whichever comes first, so that a step of the wall clock back cannot
                // hold a running job for hours. Both clocks as read when the tick was sent, which a
                // later step cannot skew.
                early.append((job, tick.elapsed + max(job.runAt.duration(since: tick.now), .zero)))
            }
        }
    }

    /// Takes the attempts that ended from the runners, for the next tick to journal; only while no
    /// tick is in flight, since the writer's thread may send one with them meanwhile (``TickSender``).
    mutating func collectEnded() {
        guard state.ticksInFlight == 0, let runners else { return }
        for entry in runners.takeEnded() {
            state.finished()
            pending.append(entry)
        }
    }

    mutating func refill(after: Timestamp, through: Timestamp, limit: Int, now: Timestamp) async -> Bool {
        let store = services.store
        do {
            // Read before the entries: a job added after this id is the poll's, one before it the refill's.
            pollCursor = try await store.newestJobID() ?? JobID(0)
            let cursor = DueEntry(id: JobID(Int64.max), runAt: after, priority: 0, name: "")
            let entries = try await store.dueEntries(through: through, after: cursor, limit: limit)
            let handled = Set(services.handledNames)
            state.refilled(entries, after: after, through: through, limit: limit) { handled.contains($0) }
            // Due jobs are found by claiming, which skips names without a handler; look for those here
            // so they are reported rather than silently left waiting.
            let due = try await store.dueEntries(through: now, after: nil, limit: 1_000)
            for entry in due where !handled.contains(entry.name) { reportWaiting(entry) }
            return true
        } catch {
            services.logger.error("docket could not read the journal's timers; retrying", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The safety poll: finds jobs that other processes added (and due jobs nobody announced) without
    /// reloading the horizon. A task reads the scheduled jobs newer than ``pollCursor`` and reports
    /// them with ``LoopMessage/polled(_:cursor:)``, so the loop never waits for the read; a full
    /// refill only when there is no cursor yet.
    mutating func pollForNewJobs(_ group: inout DiscardingTaskGroup) {
        guard let cursor = pollCursor else {
            state.requestRefill()
            return
        }
        guard !isPolling else { return }
        isPolling = true
        let services = self.services
        let inbox = self.inbox
        group.addTask(priority: .high) {
            let pageSize = 1_000
            var entries: [LoopMessage.Entry] = []
            var last = cursor
            do {
                // A burst larger than ten pages is finished by the next poll.
                for _ in 0..<10 {
                    let jobs = try await services.store.jobs(in: .scheduled, after: last, limit: pageSize)
                    entries += jobs.map {
                        LoopMessage.Entry(timer: TimerEntry(id: $0.id, deadline: $0.runAt, priority: $0.priority), name: $0.name)
                    }
                    last = jobs.last?.id ?? last
                    if jobs.count < pageSize { break }
                }
            } catch {
                services.logger.error("docket could not poll the journal; retrying", metadata: ["error": "\(error)"])
            }
            inbox.send(.polled(entries, cursor: last))
        }
    }

    /// Takes the poll's findings: new jobs within the horizon join the timer index (those this
    /// process announced already are there), and a claim looks for whatever is due.
    mutating func polled(_ entries: [LoopMessage.Entry], cursor: JobID) {
        isPolling = false
        let now = services.now()
        for entry in entries where !state.timers.contains(entry.timer.id) {
            if services.hasHandler(for: entry.name) {
                state.scheduled(entry.timer, now: now)
            } else if entry.timer.deadline <= now {
                reportWaiting(DueEntry(id: entry.timer.id, runAt: entry.timer.deadline, priority: entry.timer.priority, name: entry.name))
            }
        }
        if let current = pollCursor, cursor > current { pollCursor = cursor }
        state.requestClaim()
    }

    /// Asks the journal whether another process changed it since the last look, without waiting for
    /// the answer: ``LoopMessage/changesChecked(_:)`` brings it.
    mutating func checkForChanges(_ group: inout DiscardingTaskGroup) {
        isCheckingChanges = true
        let store = services.store
        let inbox = self.inbox
        group.addTask(priority: .high) {
            let token: Int64??
            do { token = .some(try await store.changesByOthers()) } catch { token = nil }
            inbox.send(.changesChecked(token))
        }
    }

    /// Takes the journal's change counter. When another process changed the journal (or at the first
    /// look, which cannot know what came before it), the poll reads the jobs it added and a claim
    /// takes whatever is due (jobs it ran now, retried or added); a refill, at most once per poll
    /// interval, finds jobs it moved within the horizon.
    mutating func changesChecked(_ token: Int64??) {
        isCheckingChanges = false
        guard case .some(let value) = token else { return }  // the read failed: look again later
        guard let value else {
            nextChangeCheck = nil  // the journal cannot tell: the safety poll does the work
            return
        }
        defer { lastChangeToken = value }
        // The first look cannot know what came before it, so it counts as a change; but `run()` has
        // just refilled, so it asks for no refill.
        let isFirstLook = lastChangeToken == nil
        if let last = lastChangeToken, last == value { return }
        let elapsed = clock.elapsed()
        changeSeen = true
        nextPoll = elapsed
        state.requestClaim()
        // Another process may have created, resumed or triggered a schedule: the pass looks (a read
        // when nothing is due) instead of waiting for a cursor this loop does not know yet.
        schedulePassWanted = true
        // It may have cancelled a job that runs here.
        runningCheckWanted = true
        guard !isFirstLook else {
            lastChangeRefill = elapsed
            return
        }
        if lastChangeRefill.map({ elapsed - $0 >= services.configuration.pollInterval }) ?? true {
            lastChangeRefill = elapsed
            state.requestRefill()
        }
    }

    mutating func reportWaiting(_ entry: DueEntry) {
        guard reportedWaiting.insert(entry.id).inserted else { return }
        services.logger.warning(
            "docket job waits: no handler is registered for its name",
            metadata: ["job.id": "\(entry.id)", "job.name": "\(entry.name)"])
        services.emit(.waitingForHandler, jobID: entry.id, jobName: entry.name, runAt: entry.runAt)
    }
}
