import DocketCore
import Logging

/// The run loop of one `run()`: it performs what ``DispatchState`` decides and sleeps in between.
///
/// Everything that changes the loop's state arrives as a ``LoopMessage``, so the state needs no lock:
/// only this loop touches it. Handlers run as child tasks of the loop's task group; each one ends by
/// sending the change that records its attempt, and the loop journals those changes together with the
/// next claim, one transaction per tick.
struct SchedulerLoop {
    let scheduler: JobScheduler
    var state: DispatchState
    /// Claimed jobs waiting for a slot, in claim order.
    var ready: [JobRecord] = []
    var readyHead = 0
    /// Ended attempts whose changes wait for the next tick.
    var pending: [(job: JobRecord, change: JobChange)] = []
    var draining = false
    var commitFailures = 0
    var sleeper: Task<Void, Never>?
    var sleeperDeadline: Timestamp?
    var sleeperGeneration = 0
    var graceTimer: Task<Void, Never>?
    var nextPoll = Timestamp.distantPast
    /// Jobs already reported as waiting for a handler, so each is reported once per run.
    var reportedWaiting: Set<JobID> = []
    /// The priority of the task that called `run()`, which every attempt runs at.
    var handlerPriority: TaskPriority = .medium
    /// Watches the timeouts of the running attempts.
    let timeouts: TimeoutMonitor

    init(scheduler: JobScheduler) {
        self.scheduler = scheduler
        let configuration = scheduler.configuration
        self.timeouts = TimeoutMonitor(clock: configuration.clock)
        self.state = DispatchState(
            capacity: configuration.maxConcurrentJobs,
            prefetch: configuration.prefetch ?? configuration.maxConcurrentJobs,
            claimBatchSize: configuration.claimBatchSize, horizon: configuration.timerHorizon)
    }

    /// Runs the loop in a child task of high priority, while attempts keep the priority of the caller.
    ///
    /// Every tick goes through the loop, so its wake-ups (the commit's answer, finished attempts) are
    /// the critical path; at the caller's priority they queue on the executor behind the handlers'
    /// own work, which on a small machine adds milliseconds per tick. Handlers see the priority they
    /// would have inherited from `run()`'s task.
    mutating func run(_ inbox: LoopMailbox) async {
        let handlerPriority = Task.currentPriority
        let loop = self
        await withDiscardingTaskGroup { outer in
            outer.addTask(priority: .high) {
                var loop = loop
                await loop.runLoop(inbox, handlerPriority: handlerPriority)
            }
        }
    }

    private mutating func runLoop(_ inbox: LoopMailbox, handlerPriority: TaskPriority) async {
        self.handlerPriority = handlerPriority
        await withDiscardingTaskGroup { group in
            while true {
                guard await act(&group) else { break }
                if draining && state.isIdle { break }
                let messages = await inbox.next()
                if messages.isEmpty { break }
                for message in messages { handle(message, &group) }
            }
            sleeper?.cancel()
            graceTimer?.cancel()
        }
        // Every attempt has ended by now: the group waited for them.
        timeouts.stop()
    }

    /// Performs the dispatcher's actions until it says to sleep, then arms the sleeper. Returns false
    /// when the loop should stop: draining, and the journal keeps failing.
    private mutating func act(_ group: inout DiscardingTaskGroup) async -> Bool {
        let poll = scheduler.configuration.pollInterval
        while true {
            startReadyJobs(&group)
            let sleepAfter = scheduler.configuration.clock.anchoredSleeper()
            let now = scheduler.now()
            if now >= nextPoll {
                nextPoll = now + poll
                state.requestRefill()
            }
            switch state.nextAction(now: now) {
            case .refill(let after, let through, let limit):
                guard await refill(after: after, through: through, limit: limit, now: now) else {
                    arm(at: now + poll, now: now, sleepAfter)
                    return true
                }
            case .commit(let claimLimit, let dueBy):
                guard await commit(claimLimit: claimLimit, dueBy: dueBy, now: now) else {
                    if draining && commitFailures >= 3 {
                        scheduler.logger.error("docket gives up journaling at shutdown; crash recovery will settle the rest")
                        return false
                    }
                    let backoff = min(Duration.milliseconds(5) * (1 << min(commitFailures, 10)), poll)
                    arm(at: now + backoff, now: now, sleepAfter, force: true)
                    return true
                }
            case .sleep(let until):
                arm(at: min(until ?? nextPoll, nextPoll), now: now, sleepAfter)
                return true
            }
        }
    }

    private mutating func startReadyJobs(_ group: inout DiscardingTaskGroup) {
        let scheduler = self.scheduler
        let timeouts = self.timeouts
        while readyHead < ready.count, state.startIfFree() {
            let job = ready[readyHead]
            readyHead += 1
            group.addTask(priority: handlerPriority) {
                let change = await scheduler.perform(job, timeouts: timeouts)
                scheduler.send(.finished(job, change))
            }
        }
        if readyHead == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
        }
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
        case .finished(let job, let change):
            state.finished()
            pending.append((job, change))
        case .tick(let generation):
            if generation == sleeperGeneration { sleeperDeadline = nil }
        case .shutdown(let graceSleep):
            beginDraining(graceSleep: graceSleep, &group)
        case .graceExpired:
            scheduler.logger.warning("docket shutdown grace period is over; cancelling running jobs")
            group.cancelAll()
        }
    }

    /// Stops claiming and gives back claimed jobs that have not started; cancels running jobs at once
    /// when `graceSleep` is nil, else when it returns.
    private mutating func beginDraining(
        graceSleep: (@Sendable () async throws -> Void)?, _ group: inout DiscardingTaskGroup
    ) {
        guard !draining else {
            if graceSleep == nil { group.cancelAll() }
            return
        }
        draining = true
        let now = scheduler.now()
        for job in ready[readyHead...] {
            pending.append((job, JobChange(id: job.id, event: .release(runAt: now), expectedAttempt: job.attempt)))
        }
        ready.removeAll()
        readyHead = 0
        state.drain()
        sleeper?.cancel()
        sleeperDeadline = nil
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

    /// Makes sure a tick arrives by `deadline` (wall clock), measured on the monotonic clock from the
    /// anchor `sleepAfter` was made with. `force` replaces a sleeper due earlier.
    private mutating func arm(
        at deadline: Timestamp, now: Timestamp, _ sleepAfter: @escaping @Sendable (Duration) async throws -> Void,
        force: Bool = false
    ) {
        if !force, let current = sleeperDeadline, current <= deadline { return }
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
}
