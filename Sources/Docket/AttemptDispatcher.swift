import DocketCore

/// Runs claimed jobs in at most `capacity` slots, starting the next waiting job the moment an attempt
/// ends, on the thread that ended it.
///
/// The run loop hands it jobs that are due; it never waits for the loop to free a slot. A slot freed
/// only once the run loop had taken the ended attempt's message would make every job pay a trip
/// through the loop's mailbox before the next could start, and with quick handlers that trip, not the
/// journal, would set the pace. The loop still hears of every ended attempt (it journals them), just
/// not on the way to the next start.
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
    private let scheduler: JobScheduler
    private let timeouts: TimeoutMonitor
    private let priority: TaskPriority

    init(capacity: Int, scheduler: JobScheduler, timeouts: TimeoutMonitor, priority: TaskPriority) {
        self.capacity = max(1, capacity)
        self.scheduler = scheduler
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
        state.withLock { state in
            state.isClosed = true
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
        let race = scheduler.startAttempt(job, timeouts: timeouts, priority: priority) { [self] change in
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
        scheduler.send(.finished(job, change))
        if let next { start(next) }
    }
}
