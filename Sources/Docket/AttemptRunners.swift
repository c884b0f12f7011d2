import DocketCore

/// Runs claimed jobs in at most `capacity` slots, with runner tasks rather than a task per attempt.
///
/// A runner is a task that takes the next waiting job, runs its attempt to the end in itself, and
/// takes the next, until none waits. Runners start at once on the thread that hands the jobs over
/// (`Task.immediate`): a handler that does not suspend runs there and then, and the runner goes on to
/// the next job; when a handler suspends, the thread gets control back and starts another runner for
/// the jobs still waiting. So a batch of quick jobs costs one task, and slow ones get a runner each,
/// never more than the free slots. The journal's writer hands over the jobs a tick claimed, right
/// after the commit (``handOver(_:)``), and journals the ends of the attempts that finished meanwhile
/// with its next tick; other ends wake the run loop, which journals them (``takeEnded()``).
///
/// The run loop claims no more jobs than there are free slots, so a job handed over normally starts
/// at once; the waiting list covers the moment between an attempt's end freeing its slot here and the
/// loop hearing of it. A slot is freed on the thread that ended the attempt.
final class AttemptRunners: Sendable {
    private struct State {
        /// Due jobs waiting for a slot, in the order they were handed over, from `head` on.
        var waiting: [JobRecord] = []
        var head = 0
        /// Slots taken: attempts that have not ended.
        var running = 0
        var isClosed = false
        /// The running attempts, so that shutdown can stop them.
        var attempts: [JobID: AttemptRace] = [:]
        /// Attempts that ended, with the changes that record them, until a tick takes them.
        var ended: [(job: JobRecord, change: JobChange)] = []
        /// Whether the loop was told of `ended` since it was last taken.
        var loopWoken = false
        /// Threads handing over a tick's jobs (``handOver(_:)``): their ends wait for that thread's
        /// next tick, so the loop is not woken for them.
        var handingOver = 0

        /// The next waiting job, counted as running, if a slot is free.
        mutating func takeIfFree(capacity: Int) -> JobRecord? {
            guard hasStartable(capacity: capacity) else { return nil }
            let job = waiting[head]
            head += 1
            running += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }

        func hasStartable(capacity: Int) -> Bool {
            !isClosed && running < capacity && head < waiting.count
        }
    }

    // Guards the waiting jobs, the slot count, the running attempts and the collected ends.
    private let state = Locked(State())
    private let capacity: Int
    private let services: SchedulerServices
    private let inbox: LoopMailbox
    private let startLog: StartLog?
    private let timeouts: TimeoutMonitor
    private let priority: TaskPriority

    init(
        capacity: Int, services: SchedulerServices, inbox: LoopMailbox, startLog: StartLog?, timeouts: TimeoutMonitor,
        priority: TaskPriority
    ) {
        self.capacity = max(1, capacity)
        self.services = services
        self.inbox = inbox
        self.startLog = startLog
        self.timeouts = timeouts
        self.priority = priority
    }

    /// Queues jobs that are due and starts runners for as many as there are free slots.
    func enqueue(_ jobs: some Sequence<JobRecord>) {
        state.withLock { $0.waiting.append(contentsOf: jobs) }
        startRunners()
    }

    /// Queues the jobs a tick claimed and runs what it can at once on the calling thread (the
    /// journal's writer); attempts that end meanwhile wake no loop, since the caller journals them.
    func handOver(_ jobs: some Sequence<JobRecord>) {
        state.withLock { state in
            state.waiting.append(contentsOf: jobs)
            state.handingOver += 1
        }
        startRunners()
        state.withLock { $0.handingOver -= 1 }
    }

    /// The attempts that ended since the last call, for a tick to journal.
    func takeEnded() -> [(job: JobRecord, change: JobChange)] {
        state.withLock { state in
            state.loopWoken = false
            defer { state.ended.removeAll(keepingCapacity: true) }
            return state.ended
        }
    }

    /// Stops starting jobs and returns those that were waiting, for the loop to give back.
    func close() -> [JobRecord] {
        state.withLock { $0.isClosed = true }
        return takeWaiting()
    }

    /// The jobs handed over since ``close()``, which never start: for the loop to give back.
    func takeWaiting() -> [JobRecord] {
        state.withLock { state in
            defer {
                state.waiting.removeAll()
                state.head = 0
            }
            return Array(state.waiting[state.head...])
        }
    }

    /// Ends every running attempt for shutdown; each reports itself as given back. Call ``close()``
    /// first, so that no waiting job starts in the freed slots.
    func stopAll() {
        let attempts = state.withLock { Array($0.attempts.values) }
        for attempt in attempts { attempt.stop() }
    }

    /// Starts runners while jobs wait for free slots. Each returns here when its handler first
    /// suspends, or when nothing is left for it.
    private func startRunners() {
        while state.withLock({ $0.hasStartable(capacity: capacity) }) {
            if #available(macOS 26.0, *) {
                Task.immediate(priority: priority) { await self.runJobs() }
            } else {
                Task(priority: priority) { await self.runJobs() }
                return
            }
        }
    }

    /// A runner: runs waiting jobs one after another while slots are free. Leaves after an attempt
    /// that its timeout or a shutdown ended, since its task is then cancelled.
    private func runJobs() async {
        while let job = state.withLock({ $0.takeIfFree(capacity: capacity) }) {
            // Ended by its timeout or a shutdown: this task is cancelled, and whoever ended the attempt
            // started a runner for what waits.
            guard await run(job) else { return }
        }
    }

    /// Runs one attempt in the current task; returns false when it ended by its timeout or a shutdown.
    private func run(_ job: JobRecord) async -> Bool {
        guard let attempt = services.prepareAttempt(job) else {
            ended(job, JobChange(id: job.id, event: .release(runAt: services.now()), expectedAttempt: job.attempt))
            return true
        }
        let policy = attempt.handler.options.retry
        let race = AttemptRace(timeouts: timeouts) { [self] end, byHandler in
            ended(job, services.change(for: end, job: job, handlerPolicy: policy))
            // The runner goes on to the next job itself, unless it is left behind with its handler.
            if !byHandler { startRunners() }
        }
        state.withLock { $0.attempts[job.id] = race }
        return await race.run(attempt, startLog: startLog)
    }

    private func ended(_ job: JobRecord, _ change: JobChange) {
        let wake = state.withLock { state -> Bool in
            state.attempts[job.id] = nil
            state.running = max(0, state.running - 1)
            state.ended.append((job, change))
            guard !state.loopWoken, state.handingOver == 0 else { return false }
            state.loopWoken = true
            return true
        }
        if wake { inbox.send(.attemptsEnded) }
    }
}
