import DocketCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// Each attempt races its handler against its timeout and against shutdown; the first to end it
/// decides how it ended, under this object's one lock (``AttemptRunners+Race.swift``). A handler that
/// ignores cancellation cannot hold its slot: on timeout or shutdown the attempt ends at once and its
/// runner's task is cancelled; the runner leaves when the handler finally returns, and its late
/// outcome is ignored.
///
/// The run loop claims no more jobs than there are free slots, so a job handed over normally starts
/// at once; the waiting list covers the moment between an attempt's end freeing its slot here and the
/// loop hearing of it.
final class AttemptRunners: Sendable {
    struct State {
        /// Due jobs waiting for a slot, in the order they were handed over, from `head` on.
        var waiting: [JobRecord] = []
        var head = 0
        /// Slots taken: attempts that have not ended.
        var running = 0
        var isClosed = false
        /// The attempts that have not ended. An attempt that leaves this table has ended: whoever
        /// removes it reports the end.
        var attempts: [JobID: RunningAttempt] = [:]
        /// Attempts that ended, with the changes that record them, until a tick takes them.
        var ended: [(job: JobRecord, change: JobChange)] = []
        /// Whether the loop was told of `ended` since it was last taken.
        var loopWoken = false
        /// The thread inside ``handOver(_:)``, if one is: attempts it runs get their timeout watched
        /// only if they are still running when it is done, and their ends wake no loop.
        var handingOver: pthread_t?
        /// When the current hand-over began, on the monotonic clock.
        var handOverStart: ContinuousClock.Instant?
        /// Whether the current hand-over has lent its thread long enough: what waits starts on the
        /// cooperative pool.
        var movedToPool = false

        /// The next waiting job, counted as running, if a slot is free.
        mutating func takeIfFree(capacity: Int) -> JobRecord? {
            guard hasStartable(capacity: capacity) else { return nil }
            let job = waiting[head]
            head += 1
            running += 1
            if head == waiting.count {
                // Not keeping the capacity: the array may be a tick's own, shared with its report, and
                // keeping it would allocate a copy.
                waiting = []
                head = 0
            }
            return job
        }

        /// Queues `jobs` behind those waiting; into an empty queue the array itself goes, uncopied.
        mutating func wait(for jobs: [JobRecord]) {
            if waiting.isEmpty {
                waiting = jobs
                head = 0
            } else {
                waiting.append(contentsOf: jobs)
            }
        }

        func hasStartable(capacity: Int) -> Bool {
            !isClosed && running < capacity && head < waiting.count
        }
    }

    // Guards the waiting jobs, the slot count, the running attempts and the ended ones.
    let state = Locked(State())
    let capacity: Int
    let services: SchedulerServices
    let inbox: LoopMailbox
    let startLog: StartLog?
    let timeouts: TimeoutMonitor
    let priority: TaskPriority

    /// How long one hand-over runs handlers on the journal's thread before the runners move to the
    /// cooperative pool; a handler that computed this long before it first suspended, three times in
    /// a row, never runs there again.
    static let inlineBudget = Duration.milliseconds(1)

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
    func enqueue(_ jobs: [JobRecord]) {
        state.withLock { $0.wait(for: jobs) }
        startRunners()
    }

    /// Queues the jobs a tick claimed and runs what it can at once on the calling thread (the
    /// journal's writer); attempts that end meanwhile wake no loop, since the caller journals them.
    /// One thread at a time.
    ///
    /// The thread is the journal's, so it lends itself to handlers only briefly: once a hand-over
    /// has run for ``inlineBudget``, or for a handler found to compute that long before its first
    /// suspension (``LongRunVerdict``), the runner moves to the cooperative pool before it calls the
    /// handler.
    func handOver(_ jobs: [JobRecord]) {
        let start = ContinuousClock.now
        state.withLock { state in
            state.wait(for: jobs)
            state.handingOver = pthread_self()
            state.handOverStart = start
            state.movedToPool = false
        }
        startRunners()
        // What still runs has suspended: from here on its timeout is watched.
        state.withLock { state in
            state.handingOver = nil
            state.handOverStart = nil
            let unwatched = state.attempts.compactMap { $0.value.watch == nil ? $0.key : nil }
            for id in unwatched { watchTimeout(of: id, &state) }
        }
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

    /// Starts runners while jobs wait for free slots. Each returns here when its handler first
    /// suspends, or when nothing is left for it; on a hand-over's thread that has lent itself long
    /// enough, runners start on the cooperative pool instead, one per job that can start.
    func startRunners() {
        while true {
            let (startable, mayRunHere) = state.withLock { state -> (Int, Bool) in
                guard state.hasStartable(capacity: capacity) else { return (0, false) }
                let count = min(state.waiting.count - state.head, capacity - state.running)
                guard state.movedToPool, let thread = state.handingOver, pthread_equal(thread, pthread_self()) != 0
                else { return (count, true) }
                return (count, false)
            }
            guard startable > 0 else { return }
            if mayRunHere, #available(macOS 26.0, *) {
                Task.immediate(priority: priority) { await self.runJobs() }
            } else {
                for _ in 0..<startable { Task(priority: priority) { await self.runJobs() } }
                return
            }
        }
    }

    /// A runner: runs waiting jobs one after another while slots are free. Leaves after an attempt
    /// that its timeout or a shutdown ended, since its task is then cancelled (and whoever ended the
    /// attempt started a runner for what waits).
    private func runJobs() async {
        var handlers = HandlerCache()
        var next = state.withLock { $0.takeIfFree(capacity: capacity) }
        while let job = next {
            switch await run(job, handlers: &handlers) {
            case .ended(let end, let handler):
                next = finish(job, end, handler: handler)
            case .settled:
                next = state.withLock { $0.takeIfFree(capacity: capacity) }
            case .notStarted:
                return
            case .moved:
                startRunners()
                return
            }
        }
    }

    /// Ends the attempt of `job` as its handler did, unless its timeout or a shutdown ended it first,
    /// and takes the next job in the same turn of the lock. Nil when none waits, or when the attempt
    /// had ended otherwise: then this runner's task is cancelled and it must leave.
    private func finish(_ job: JobRecord, _ end: AttemptEnd, handler: RegisteredHandler) -> JobRecord? {
        let change = services.change(for: end, job: job, handlerPolicy: handler.options.retry)
        let (watch, wake, next) = state.withLock { state -> (TimeoutMonitor.Watch?, Bool, JobRecord?) in
            // Only this attempt's entry: once its timeout ended it, the job's next attempt may already
            // run under the same id, and a late return of this handler must not end that one.
            guard let running = state.attempts[job.id], ClaimKey(running.job) == ClaimKey(job) else { return (nil, false, nil) }
            let attempt = state.attempts.removeValue(forKey: job.id)!
            return (attempt.watch, recordEnd(job, change, &state), state.takeIfFree(capacity: capacity))
        }
        if let watch { timeouts.forget(watch) }
        if wake { inbox.send(.attemptsEnded) }
        return next
    }

    /// Records an ended attempt for the next tick, waking the loop unless a hand-over will journal it.
    func recordEnd(_ job: JobRecord, _ change: JobChange, _ state: inout State) -> Bool {
        state.running = max(0, state.running - 1)
        state.ended.append((job, change))
        guard !state.loopWoken, state.handingOver == nil else { return false }
        state.loopWoken = true
        return true
    }
}

/// The handler of the last job a runner ran: jobs of one batch mostly share a name, and a handler
/// once registered never changes.
struct HandlerCache {
    private var name: String?
    private var handler: RegisteredHandler?

    mutating func handler(for name: String, in services: SchedulerServices) -> RegisteredHandler? {
        if let handler, self.name == name { return handler }
        let found = services.handler(for: name)
        if found != nil {
            self.name = name
            handler = found
        }
        return found
    }
}
