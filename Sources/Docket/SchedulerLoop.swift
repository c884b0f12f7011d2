import DocketCore
import Logging

/// The runtime of one `run()`: it performs what ``DispatchState`` decides and sleeps in between.
///
/// `run()` makes it and it ends before `run()` returns; it reads the ``SchedulerServices`` it shares
/// with the public scheduler and calls nothing on the scheduler itself. Everything that changes the
/// loop's state arrives as a ``LoopMessage`` in its mailbox, so the state needs no lock: only this
/// loop touches it. Due jobs go to the ``AttemptRunners``, whose runner tasks run attempts one after
/// another; every ended attempt leaves the change that records it, and the loop journals those
/// changes together with the next claim, one transaction per tick. The journal answers a tick on its
/// writer's thread, where the ``TickSender`` starts the claimed jobs that are due at once and, when
/// attempts ended meanwhile, sends the next tick from there; the loop follows the reports.
///
/// Time: the wall clock says what is due, the monotonic ``LoopClock`` says when to look again. No
/// sleep is longer than ``maxSleep``, so after any step of the wall clock, due jobs are found within
/// that bound.
struct SchedulerLoop {
    let services: SchedulerServices
    let inbox: LoopMailbox
    let startLog: StartLog?
    let clock: LoopClock
    var state: DispatchState
    /// Jobs claimed ahead of their time, with the monotonic time at which each is due; they go to the
    /// runners when either clock says they are due. At most the free slots' worth.
    var early: [(job: JobRecord, dueAt: Duration)] = []
    /// Ended attempts whose changes wait for the next tick.
    var pending: [(job: JobRecord, change: JobChange)] = []
    var draining = false
    var commitFailures = 0
    /// After a failed tick, no tick is sent before this monotonic time.
    var commitRetryAt: Duration?
    /// Set when the journal keeps failing during shutdown: the loop stops.
    var givingUp = false
    /// The sequence of the last tick this loop knows was sent, its own or the writer's (-1: none).
    var lastKnownTick = -1
    var nextTickToApply = 0
    /// Reports of ticks that came back before an earlier tick's.
    var arrivedTicks: [Int: TickReport] = [:]
    var sleeper: Task<Void, Never>?
    /// The monotonic time the armed sleeper wakes at.
    var sleeperDeadline: Duration?
    var sleeperGeneration = 0
    var graceTimer: Task<Void, Never>?
    /// The next safety poll, on the monotonic clock.
    var nextPoll: Duration = .zero
    /// The newest job id the timer index has accounted for; the poll reads only newer jobs. Nil until
    /// the first refill, or when the journal cannot say: then each poll is a full refill.
    var pollCursor: JobID?
    var isPolling = false
    /// The next look at whether another process changed the journal, on the monotonic clock; nil when
    /// the journal cannot tell (then the safety poll alone finds such changes).
    var nextChangeCheck: Duration? = .zero
    var isCheckingChanges = false
    /// Whether another process changed the journal since the jobs this process runs were last
    /// looked up there (``checkRunningJobs(_:)``).
    var runningCheckWanted = false
    var isCheckingRunning = false
    /// The journal's change counter at the last look.
    var lastChangeToken: Int64?
    /// Whether another process changed the journal since the last poll; the first look counts as one.
    var changeSeen = true
    /// When the last refill was asked for because another process changed the journal.
    var lastChangeRefill: Duration?
    /// Jobs already reported as waiting for a handler, so each is reported once per run.
    var reportedWaiting: Set<JobID> = []
    /// Runs the due jobs; made when the loop starts, at the caller's priority.
    var runners: AttemptRunners?
    /// Sends the ticks, and the ticks that follow them on the journal's writer thread.
    var ticks: TickSender?
    /// Watches the timeouts of the running attempts.
    let timeouts: TimeoutMonitor
    /// The earliest cursor of an active schedule, as the last firing pass saw it.
    var nextScheduleDue: Timestamp?
    /// Whether a firing pass should run as soon as none is in flight; the first one runs at start.
    var schedulePassWanted = true
    var isFiringSchedules = false
    /// Whether a schedule holds a firing until its previous job ends: then the end of a schedule's
    /// job, and each safety poll, ask for a pass.
    var schedulesHeld = false
    /// The monotonic time of the next prune batch; nil when retention keeps every ended job. The
    /// first batch runs at start.
    var nextPrune: Duration?
    var isPruning = false
    /// The monotonic time of the next reading of the `docket.jobs` gauges; nil without metrics.
    var nextCountsReading: Duration?
    var isReadingCounts = false
    /// What the batches of the current prune pass deleted, logged when the pass ends.
    var pruneTally = PruneReport()

    /// Looks for schedulers on the same journal that died since, and rescues their running jobs;
    /// true when it rescued some. Nil for a journal no other process can run.
    let rescueDeadPeers: (@Sendable () async -> Bool)?
    var isCheckingPeers = false
    /// Whether this scheduler leads the journal's runners: only the leader fires schedules and
    /// prunes. A scheduler alone on its journal always leads.
    var leads: Bool
    var isCheckingLeadership = false

    init(
        services: SchedulerServices, inbox: LoopMailbox, startLog: StartLog?,
        rescueDeadPeers: (@Sendable () async -> Bool)? = nil, leads: Bool = true
    ) {
        self.rescueDeadPeers = rescueDeadPeers
        self.leads = leads
        self.services = services
        self.inbox = inbox
        self.startLog = startLog
        let configuration = services.configuration
        self.clock = LoopClock(configuration.clock)
        self.timeouts = TimeoutMonitor(clock: configuration.clock)
        // One tick in flight: a tick claims only free slots, so a second tick sent while the first
        // commits could claim only the slots freed meanwhile, splitting each commit's work in two
        // without starting jobs any sooner.
        self.state = DispatchState(
            capacity: configuration.maxConcurrentJobs, claimBatchSize: configuration.claimBatchSize,
            horizon: configuration.timerHorizon, maxTicksInFlight: 1, claimAhead: configuration.claimAhead)
        let prunes = configuration.retention.request(now: .distantFuture, vacuumPages: 0)
        self.nextPrune = prunes.cutoffs.isEmpty ? nil : .zero
        self.nextCountsReading = services.metrics == nil ? nil : .zero
    }

    /// The longest the loop sleeps without looking at the clocks and the journal again.
    var maxSleep: Duration {
        let poll = max(services.configuration.pollInterval, .milliseconds(1))
        guard nextChangeCheck != nil else { return poll }
        return min(poll, max(services.configuration.changeCheckInterval, .milliseconds(1)))
    }

    /// Runs the loop in a child task of high priority, while attempts keep the priority of the caller.
    ///
    /// Every tick goes through the loop, so its wake-ups (the commit's answer, finished attempts) are
    /// the critical path; at the caller's priority they queue on the executor behind the handlers'
    /// own work, which on a small machine adds milliseconds per tick. Handlers see the priority they
    /// would have inherited from `run()`'s task.
    mutating func run() async {
        let handlerPriority = Task.currentPriority
        let loop = self
        await withDiscardingTaskGroup { outer in
            outer.addTask(priority: .high) {
                var loop = loop
                await loop.runLoop(handlerPriority: handlerPriority)
            }
        }
    }

    private mutating func runLoop(handlerPriority: TaskPriority) async {
        let runners = AttemptRunners(
            capacity: services.configuration.maxConcurrentJobs, services: services, inbox: inbox,
            startLog: startLog, timeouts: timeouts, priority: handlerPriority)
        self.runners = runners
        ticks = TickSender(services: services, runners: runners, inbox: inbox, clock: clock)
        await withDiscardingTaskGroup { group in
            while true {
                guard await act(&group) else { break }
                if draining && state.isIdle { break }
                let messages = await inbox.next()
                if messages.isEmpty { break }
                for message in messages { handle(message) }
                collectEnded()
                if state.ticksInFlight == 0, state.pendingOutcomes > 0, state.outstanding > 0 {
                    // Attempts that end together (handlers started together) end on several threads;
                    // one yield lets the others end too, so that the next tick records them all and
                    // claims all their slots in one commit.
                    await Task.yield()
                    for message in inbox.takeAll() { handle(message) }
                    collectEnded()
                }
            }
            // A sleeper outlives its generation only until it is cancelled here: none outlives run().
            sleeper?.cancel()
            graceTimer?.cancel()
            // Nothing runs unless the loop gave up on a failing journal: their ends can no longer be
            // journaled, and crash recovery settles them.
            _ = runners.close()
            runners.stopAll()
        }
        // The loop ends idle (no tick in flight, every attempt's end journaled), or giving up on a
        // failing journal: then a late answer finds the runners closed and the mailbox gone, and
        // crash recovery settles what it claimed.
        timeouts.stop()
    }

    /// Performs the dispatch state's actions until it says to sleep, then arms the sleeper. Returns false
    /// when the loop should stop: draining, and the journal keeps failing.
    private mutating func act(_ group: inout DiscardingTaskGroup) async -> Bool {
        while true {
            if givingUp { return false }
            // The monotonic reading first: a wake-up computed from it can then only come early.
            let elapsed = clock.elapsed()
            let now = services.now()
            startEarlyJobs(now: now, elapsed: elapsed)
            if elapsed >= nextPoll {
                nextPoll = elapsed + services.configuration.pollInterval
                // While the journal tells of other processes' changes, it is read only when one came.
                if nextChangeCheck == nil || changeSeen {
                    changeSeen = false
                    pollForNewJobs(&group)
                    // Another process may have created, resumed or fired schedules.
                    schedulePassWanted = true
                }
                if schedulesHeld { schedulePassWanted = true }
                // A peer that died holds no registration any more: each safety poll asks the store
                // (for a journal file, a directory read and one non-blocking flock per peer), so its
                // jobs wait at most a poll interval.
                if let rescue = rescueDeadPeers, !isCheckingPeers {
                    isCheckingPeers = true
                    let inbox = self.inbox
                    group.addTask { inbox.send(.peersChecked(rescued: await rescue())) }
                }
                // A dead leader's lock is free: a follower takes it here, within a poll interval.
                checkLeadership(&group)
            }
            if let check = nextChangeCheck, elapsed >= check, !isCheckingChanges {
                nextChangeCheck = elapsed + services.configuration.changeCheckInterval
                checkForChanges(&group)
            }
            if runningCheckWanted, !isCheckingRunning { checkRunningJobs(&group) }
            if schedulePassIsDue(now: now) { fireSchedules(&group, now: now) }
            if prunePassIsDue(elapsed: elapsed) { pruneBatch(&group, now: now) }
            if countsReadingIsDue(elapsed: elapsed) { readCounts(&group) }
            switch state.nextAction(now: now) {
            case .refill(let after, let through, let limit):
                guard await refill(after: after, through: through, limit: limit, now: now) else {
                    arm(atElapsed: elapsed + services.configuration.pollInterval, elapsed: elapsed, force: true)
                    return true
                }
            case .commit(let claimLimit, let dueBy):
                if let retryAt = commitRetryAt, elapsed < retryAt {
                    arm(atElapsed: retryAt, elapsed: elapsed, force: true)
                    return true
                }
                if !submitTick(claimLimit: claimLimit, dueBy: dueBy, now: now, elapsed: elapsed) {
                    // The writer's thread sent a tick this loop has not heard of: the report of the
                    // tick before it, in flight, brings it. Wait for messages.
                    armSleep(until: nil, now: now, elapsed: elapsed)
                    return true
                }
            case .sleep(let until):
                armSleep(until: until, now: now, elapsed: elapsed)
                return true
            }
        }
    }

    /// Arms the sleeper for the earliest of `until` (a wall-clock instant, if any), the next poll and
    /// change check, the early jobs, the next prune, counts reading and schedule firing.
    private mutating func armSleep(until: Timestamp?, now: Timestamp, elapsed: Duration) {
        var wake = nextPoll
        // A change check in flight reports by message; its next deadline may pass while it reads (a
        // slow read on a loaded machine), and waking for it then would only spin until the report.
        if let check = nextChangeCheck, !isCheckingChanges { wake = min(wake, check) }
        if let until { wake = min(wake, elapsed + max(until.duration(since: now), .zero)) }
        if let first = early.map(\.dueAt).min() { wake = min(wake, first) }
        if leads, let prune = nextPrune, !isPruning { wake = min(wake, prune) }
        if let counts = nextCountsReading, !isReadingCounts { wake = min(wake, counts) }
        if let due = nextScheduleDue, !isFiringSchedules {
            wake = min(wake, elapsed + max(due.duration(since: now), .zero))
        }
        arm(atElapsed: wake, elapsed: elapsed)
    }

    /// Hands the jobs claimed ahead whose time has come, by either clock, to the runners.
    private mutating func startEarlyJobs(now: Timestamp, elapsed: Duration) {
        guard !early.isEmpty else { return }
        var due: [JobRecord] = []
        early.removeAll { entry in
            guard entry.job.runAt <= now || entry.dueAt <= elapsed else { return false }
            due.append(entry.job)
            return true
        }
        if !due.isEmpty { runners?.enqueue(due) }
    }

    private mutating func handle(_ message: LoopMessage) {
        switch message {
        case .scheduled(let entries):
            let now = services.now()
            for entry in entries {
                if services.hasHandler(for: entry.name) {
                    state.scheduled(entry.timer, now: now)
                } else if entry.timer.deadline <= now {
                    reportWaiting(DueEntry(id: entry.timer.id, runAt: entry.timer.deadline, priority: entry.timer.priority, name: entry.name))
                }
            }
        case .cancelled(let id):
            cancelledHere(id)
        case .runningChecked(let ended):
            runningChecked(ended)
        case .registered:
            state.requestRefill()
        case .schedulesChanged:
            schedulePassWanted = true
        case .queuesChanged:
            state.requestClaim()
        case .peersChecked(let rescued):
            isCheckingPeers = false
            if rescued {
                state.requestRefill()
                state.requestClaim()
            }
        case .leadershipChecked(let leads):
            leadershipChecked(leads)
        case .schedulesFired(let report):
            schedulesFired(report)
        case .pruned(let batch, let took):
            pruned(batch, took: took)
        case .countsRead:
            isReadingCounts = false
        case .attemptsEnded:
            break  // taken by collectEnded() once no tick is in flight
        case .committed(let tick):
            received(tick)
            if draining && commitFailures >= 3 && !givingUp {
                services.logger.error("docket gives up journaling at shutdown; crash recovery will settle the rest")
                givingUp = true
            }
        case .polled(let entries, let cursor):
            polled(entries, cursor: cursor)
        case .changesChecked(let token):
            changesChecked(token)
        case .tick(let generation):
            if generation == sleeperGeneration { sleeperDeadline = nil }
        case .shutdown(let graceSleep):
            beginDraining(graceSleep: graceSleep)
        case .graceExpired:
            services.logger.warning("docket shutdown grace period is over; cancelling running jobs")
            runners?.stopAll()
        }
    }

    /// Stops claiming and gives back claimed jobs that have not started; cancels running jobs at once
    /// when `graceSleep` is nil, else when it returns.
    private mutating func beginDraining(
        graceSleep: (@Sendable () async throws -> Void)?
    ) {
        guard !draining else {
            if graceSleep == nil { runners?.stopAll() }
            return
        }
        draining = true
        let now = services.now()
        ticks?.stopContinuing()
        let notStarted = (runners?.close() ?? []) + early.map(\.job)
        for job in notStarted {
            pending.append((job, Self.release(job, now: now)))
        }
        early.removeAll()
        state.drain(released: notStarted.count)
        sleeper?.cancel()
        sleeperDeadline = nil
        services.logger.info("docket draining", metadata: ["docket.running": "\(state.outstanding)"])
        guard let graceSleep else {
            runners?.stopAll()
            return
        }
        let inbox = self.inbox
        graceTimer = Task {
            do { try await graceSleep() } catch { return }
            inbox.send(.graceExpired)
        }
    }

    /// Gives back a claimed job that has not started, without spending its attempt; one claimed ahead
    /// keeps its time.
    static func release(_ job: JobRecord, now: Timestamp) -> JobChange {
        JobChange(id: job.id, event: .release(runAt: max(now, job.runAt)), expectedAttempt: job.attempt)
    }

    /// Makes sure a tick arrives by the monotonic time `deadline`, and no later than ``maxSleep`` from
    /// now. `force` replaces a sleeper due earlier.
    ///
    /// The sleeper is a task of its own rather than a child of the loop's group, because an earlier
    /// deadline must cancel it alone; the loop cancels the last one as it ends.
    private mutating func arm(atElapsed deadline: Duration, elapsed: Duration, force: Bool = false) {
        let deadline = max(min(deadline, elapsed + maxSleep), elapsed)
        if !force, let current = sleeperDeadline, current <= deadline { return }
        sleeper?.cancel()
        sleeperGeneration += 1
        sleeperDeadline = deadline
        let generation = sleeperGeneration
        let inbox = self.inbox
        let sleepUntil = clock.sleepUntil
        sleeper = Task {
            do { try await sleepUntil(deadline) } catch { return }
            inbox.send(.tick(generation))
        }
    }
}
