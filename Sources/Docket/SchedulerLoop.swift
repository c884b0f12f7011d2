import DocketCore
import Logging

/// The run loop of one `run()`: it performs what ``DispatchState`` decides and sleeps in between.
///
/// Everything that changes the loop's state arrives as a ``LoopMessage``, so the state needs no lock:
/// only this loop touches it. Due jobs go to the ``AttemptDispatcher``, which runs each attempt in a
/// task of its own (``AttemptRace``) and starts the next as soon as one ends; every ended attempt
/// sends the change that records it, and the loop journals those changes together with the next
/// claim, one transaction per tick, with up to two ticks on their way to the journal at once.
struct SchedulerLoop {
    let scheduler: JobScheduler
    var state: DispatchState
    /// Jobs claimed ahead of their time, earliest last; they go to the dispatcher when due.
    var early: [JobRecord] = []
    /// Ended attempts whose changes wait for the next tick.
    var pending: [(job: JobRecord, change: JobChange)] = []
    var draining = false
    var commitFailures = 0
    /// After a failed tick, no tick is sent before this time.
    var commitRetryAt: Timestamp?
    /// Set when the journal keeps failing during shutdown: the loop stops.
    var givingUp = false
    var nextTickSequence = 0
    var nextTickToApply = 0
    /// Reports of ticks that came back before an earlier tick's.
    var arrivedTicks: [Int: TickReport] = [:]
    var sleeper: Task<Void, Never>?
    var sleeperDeadline: Timestamp?
    var sleeperGeneration = 0
    var graceTimer: Task<Void, Never>?
    var nextPoll = Timestamp.distantPast
    /// The newest job id the timer index has accounted for; the poll reads only newer jobs. Nil until
    /// the first refill, or when the journal cannot say: then each poll is a full refill.
    var pollCursor: JobID?
    var isPolling = false
    /// Jobs already reported as waiting for a handler, so each is reported once per run.
    var reportedWaiting: Set<JobID> = []
    /// The priority of the task that called `run()`, which every attempt runs at.
    var handlerPriority: TaskPriority = .medium
    /// Runs the due jobs; made when the loop starts, at the caller's priority.
    var dispatcher: AttemptDispatcher?
    /// Watches the timeouts of the running attempts.
    let timeouts: TimeoutMonitor

    init(scheduler: JobScheduler) {
        self.scheduler = scheduler
        let configuration = scheduler.configuration
        self.timeouts = TimeoutMonitor(clock: configuration.clock)
        self.state = DispatchState(
            capacity: configuration.maxConcurrentJobs,
            prefetch: configuration.prefetch ?? 4 * configuration.maxConcurrentJobs,
            claimBatchSize: configuration.claimBatchSize, horizon: configuration.timerHorizon,
            claimAhead: configuration.claimAhead)
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
        dispatcher = AttemptDispatcher(
            capacity: scheduler.configuration.maxConcurrentJobs, scheduler: scheduler, timeouts: timeouts,
            priority: handlerPriority)
        await withDiscardingTaskGroup { group in
            while true {
                guard await act(&group) else { break }
                if draining && state.isIdle { break }
                let messages = await inbox.next()
                if messages.isEmpty { break }
                for message in messages { handle(message) }
            }
            sleeper?.cancel()
            graceTimer?.cancel()
            // Nothing runs unless the loop gave up on a failing journal: their ends can no longer be
            // journaled, and crash recovery settles them.
            _ = dispatcher?.close()
            dispatcher?.stopAll()
        }
        // The group waited for the ticks in flight; every attempt has reported its end.
        timeouts.stop()
    }

    /// Performs the dispatcher's actions until it says to sleep, then arms the sleeper. Returns false
    /// when the loop should stop: draining, and the journal keeps failing.
    private mutating func act(_ group: inout DiscardingTaskGroup) async -> Bool {
        let poll = scheduler.configuration.pollInterval
        while true {
            if givingUp { return false }
            let sleepAfter = scheduler.configuration.clock.anchoredSleeper()
            let now = scheduler.now()
            var due: [JobRecord] = []
            while let job = early.last, job.runAt <= now { due.append(early.removeLast()) }
            if !due.isEmpty { dispatcher?.enqueue(due) }
            if now >= nextPoll {
                nextPoll = now + poll
                pollForNewJobs(&group)
            }
            switch state.nextAction(now: now) {
            case .refill(let after, let through, let limit):
                guard await refill(after: after, through: through, limit: limit, now: now) else {
                    arm(at: now + poll, now: now, sleepAfter)
                    return true
                }
            case .commit(let claimLimit, let dueBy):
                if let retryAt = commitRetryAt, now < retryAt {
                    arm(at: retryAt, now: now, sleepAfter, force: true)
                    return true
                }
                submitTick(claimLimit: claimLimit, dueBy: dueBy, now: now, &group)
            case .sleep(let until):
                let wake = min(until ?? nextPoll, nextPoll, early.last?.runAt ?? .distantFuture)
                arm(at: wake, now: now, sleepAfter)
                return true
            }
        }
    }

    private mutating func handle(_ message: LoopMessage) {
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
        case .committed(let tick):
            received(tick)
            if draining && commitFailures >= 3 && !givingUp {
                scheduler.logger.error("docket gives up journaling at shutdown; crash recovery will settle the rest")
                givingUp = true
            }
        case .polled(let entries, let cursor):
            polled(entries, cursor: cursor)
        case .tick(let generation):
            if generation == sleeperGeneration { sleeperDeadline = nil }
        case .shutdown(let graceSleep):
            beginDraining(graceSleep: graceSleep)
        case .graceExpired:
            scheduler.logger.warning("docket shutdown grace period is over; cancelling running jobs")
            dispatcher?.stopAll()
        }
    }

    /// Stops claiming and gives back claimed jobs that have not started; cancels running jobs at once
    /// when `graceSleep` is nil, else when it returns.
    private mutating func beginDraining(
        graceSleep: (@Sendable () async throws -> Void)?
    ) {
        guard !draining else {
            if graceSleep == nil { dispatcher?.stopAll() }
            return
        }
        draining = true
        let now = scheduler.now()
        let notStarted = (dispatcher?.close() ?? []) + early
        for job in notStarted {
            pending.append((job, Self.release(job, now: now)))
        }
        early.removeAll()
        state.drain(released: notStarted.count)
        sleeper?.cancel()
        sleeperDeadline = nil
        scheduler.logger.info("docket draining", metadata: ["docket.running": "\(state.outstanding)"])
        guard let graceSleep else {
            dispatcher?.stopAll()
            return
        }
        let scheduler = self.scheduler
        graceTimer = Task {
            do { try await graceSleep() } catch { return }
            scheduler.send(.graceExpired)
        }
    }

    /// Gives back a claimed job that has not started, without spending its attempt; one claimed ahead
    /// keeps its time.
    static func release(_ job: JobRecord, now: Timestamp) -> JobChange {
        JobChange(id: job.id, event: .release(runAt: max(now, job.runAt)), expectedAttempt: job.attempt)
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
