import DocketCore
import Logging

/// The run loop of one `run()`: it performs what ``DispatchState`` decides and sleeps in between.
///
/// Everything that changes the loop's state arrives as a ``LoopMessage``, so the state needs no lock:
/// only this loop touches it.
struct SchedulerLoop {
    let scheduler: JobScheduler
    var state: DispatchState
    var draining = false
    var sleeper: Task<Void, Never>?
    var sleeperDeadline: Timestamp?
    var sleeperGeneration = 0
    var graceTimer: Task<Void, Never>?
    var nextPoll = Timestamp.distantPast
    /// Jobs already reported as waiting for a handler, so each is reported once per run.
    var reportedWaiting: Set<JobID> = []

    init(scheduler: JobScheduler) {
        self.scheduler = scheduler
        let configuration = scheduler.configuration
        self.state = DispatchState(
            capacity: configuration.maxConcurrentJobs, claimBatchSize: configuration.claimBatchSize,
            horizon: configuration.timerHorizon)
    }

    mutating func run(_ inbox: LoopMailbox) async {
        await withDiscardingTaskGroup { group in
            while !(draining && state.running == 0) {
                await act(&group)
                let messages = await inbox.next()
                if messages.isEmpty { break }
                for message in messages { handle(message, &group) }
            }
            sleeper?.cancel()
            graceTimer?.cancel()
        }
    }

    /// Performs the dispatcher's actions until it says to sleep, then arms the sleeper.
    private mutating func act(_ group: inout DiscardingTaskGroup) async {
        while true {
            let sleepAfter = scheduler.configuration.clock.anchoredSleeper()
            let now = scheduler.now()
            if now >= nextPoll {
                nextPoll = now + scheduler.configuration.pollInterval
                state.requestRefill()
            }
            switch state.nextAction(now: now) {
            case .refill(let after, let through, let limit):
                guard await refill(after: after, through: through, limit: limit, now: now) else {
                    return arm(at: now + scheduler.configuration.pollInterval, now: now, sleepAfter)
                }
            case .claim(let dueBy, let limit):
                guard await claim(dueBy: dueBy, limit: limit, now: now, &group) else {
                    return arm(at: now + scheduler.configuration.pollInterval, now: now, sleepAfter)
                }
            case .sleep(let until):
                return arm(at: min(until ?? nextPoll, nextPoll), now: now, sleepAfter)
            }
        }
    }

    private mutating func refill(after: Timestamp, through: Timestamp, limit: Int, now: Timestamp) async -> Bool {
        let store = scheduler.store
        do {
            let cursor = DueEntry(id: JobID(Int64.max), runAt: after, priority: 0, name: "")
            let entries = try await store.dueEntries(through: through, after: cursor, limit: limit)
            let handled = Set(scheduler.handledNames)
            state.refilled(entries, after: after, through: through, limit: limit) { handled.contains($0) }
            // Due jobs are found by claiming, which skips names without a handler; look for those here
            // so they are reported rather than silently left waiting.
            let due = try await store.dueEntries(through: now, after: nil, limit: 1_000)
            for entry in due where !handled.contains(entry.name) { reportWaiting(entry) }
            return true
        } catch {
            scheduler.logger.error("docket could not read the journal's timers; retrying", metadata: ["error": "\(error)"])
            return false
        }
    }

    private mutating func claim(dueBy: Timestamp, limit: Int, now: Timestamp, _ group: inout DiscardingTaskGroup) async -> Bool {
        let names = scheduler.handledNames
        let configuration = scheduler.configuration
        let request = ClaimRequest(
            dueBy: dueBy, limit: limit, owner: scheduler.instanceID,
            leaseExpiresAt: now + configuration.defaultTimeout + configuration.shutdownGracePeriod,
            names: names, now: now)
        let jobs: [JobRecord]
        do {
            jobs = names.isEmpty ? [] : try await scheduler.store.claim(request)
        } catch {
            scheduler.logger.error("docket could not claim due jobs; retrying", metadata: ["error": "\(error)"])
            return false
        }
        state.claimed(jobs.map(\.id), limit: limit, dueBy: dueBy)
        let scheduler = self.scheduler
        for job in jobs {
            group.addTask {
                await scheduler.perform(job)
                scheduler.send(.finished(job.id))
            }
        }
        return true
    }

    private mutating func handle(_ message: LoopMessage, _ group: inout DiscardingTaskGroup) {
        switch message {
        case .scheduled(let entries):
            let now = scheduler.now()
            for entry in entries {
                if scheduler.hasHandler(for: entry.name) {
                    state.scheduled(entry.timer, now: now)
                } else if entry.timer.deadline <= now {
                    reportWaiting(DueEntry(id: entry.timer.id, runAt: entry.timer.deadline, priority: entry.timer.priority, name: entry.name))
                }
            }
        case .unscheduled(let id):
            state.unscheduled(id)
        case .registered:
            state.requestRefill()
        case .finished:
            state.finished()
        case .tick(let generation):
            if generation == sleeperGeneration { sleeperDeadline = nil }
        case .shutdown(let graceSleep):
            beginDraining(graceSleep: graceSleep, &group)
        case .graceExpired:
            scheduler.logger.warning("docket shutdown grace period is over; cancelling running jobs")
            group.cancelAll()
        }
    }

    /// Stops claiming; cancels running jobs at once when `graceSleep` is nil, else when it returns.
    private mutating func beginDraining(
        graceSleep: (@Sendable () async throws -> Void)?, _ group: inout DiscardingTaskGroup
    ) {
        guard !draining else {
            if graceSleep == nil { group.cancelAll() }
            return
        }
        draining = true
        state.drain()
        sleeper?.cancel()
        scheduler.logger.info("docket draining", metadata: ["docket.running": "\(state.running)"])
        guard let graceSleep else {
            group.cancelAll()
            return
        }
        let scheduler = self.scheduler
        graceTimer = Task {
            do { try await graceSleep() } catch { return }
            scheduler.send(.graceExpired)
        }
    }

    /// Makes sure a tick arrives by `deadline` (wall clock), measured on the monotonic clock.
    private mutating func arm(
        at deadline: Timestamp, now: Timestamp, _ sleepAfter: @escaping @Sendable (Duration) async throws -> Void
    ) {
        guard !draining else { return }
        if let current = sleeperDeadline, current <= deadline { return }
        sleeper?.cancel()
        sleeperGeneration += 1
        sleeperDeadline = deadline
        let generation = sleeperGeneration
        let delay = max(deadline.duration(since: now), .zero)
        let scheduler = self.scheduler
        sleeper = Task {
            do { try await sleepAfter(delay) } catch { return }
            scheduler.send(.tick(generation))
        }
    }

    private mutating func reportWaiting(_ entry: DueEntry) {
        guard reportedWaiting.insert(entry.id).inserted else { return }
        scheduler.logger.warning(
            "docket job waits: no handler is registered for its name",
            metadata: ["job.id": "\(entry.id)", "job.name": "\(entry.name)"])
        scheduler.emit(SchedulerEvent(.waitingForHandler, jobID: entry.id, jobName: entry.name, runAt: entry.runAt))
    }
}
