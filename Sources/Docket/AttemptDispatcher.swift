import DocketCore

/// Runs claimed jobs in at most `capacity` slots.
///
/// The run loop claims no more jobs than there are free slots, so a job handed over normally starts
/// at once; the waiting list covers the moment between an attempt's end freeing its slot here and
/// the loop hearing of it. A slot is freed on the thread that ended the attempt, without a trip
/// through the loop's mailbox; the loop still hears of every ended attempt, since it journals them.
final class AttemptDispatcher: Sendable {
    private struct State {
        /// Due jobs waiting for a slot, in the order the loop handed them over, from `head` on.
        var waiting: [JobRecord] = []
        var head = 0
        var running = 0
        var isClosed = false
        /// The running attempts, so that shutdown can stop them.
        var attempts: [JobID: AttemptRace] = [:]

        /// The next waiting job, counted as running, if a slot is free.
        mutating func takeIfFree(capacity: Int) -> JobRecord? {
            guard !isClosed, running < capacity, head < waiting.count else { return nil }
            let job = waiting[head]
            head += 1
            running += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }
    }

    // Guards the waiting jobs, the slot count and the running attempts.
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

    /// Queues jobs that are due and starts as many as there are free slots.
    func enqueue(_ jobs: some Sequence<JobRecord>) {
        let starting = state.withLock { state -> [JobRecord] in
            state.waiting.append(contentsOf: jobs)
            var starting: [JobRecord] = []
            while let job = state.takeIfFree(capacity: capacity) { starting.append(job) }
            return starting
        }
        for job in starting { start(job) }
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

    private func start(_ job: JobRecord) {
        let race = services.startAttempt(job, timeouts: timeouts, startLog: startLog, priority: priority) { [self] change in
            ended(job, change)
        }
        guard let race else { return }
        state.withLock { state in
            // An attempt that already ended has been forgotten by `ended`; keep only live ones.
            if !race.hasEnded { state.attempts[job.id] = race }
        }
    }

    private func ended(_ job: JobRecord, _ change: JobChange) {
        let next = state.withLock { state -> JobRecord? in
            state.attempts[job.id] = nil
            state.running = max(0, state.running - 1)
            return state.takeIfFree(capacity: capacity)
        }
        inbox.send(.finished(job, change))
        if let next { start(next) }
    }
}
