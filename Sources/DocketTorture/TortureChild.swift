import Docket
import DocketCore
import DocketSQLite
import Foundation
import ProcessSupport
import Synchronization

/// The `run` mode: schedules one round of the seeded script (the chunks not yet in the journal),
/// runs every job to its end, and exits 0 printing `done` once nothing is scheduled or running.
/// With `--stop-after N` it shuts down after the N-th handler start instead and exits 3 printing
/// `stopped`; the parent starts it again.
///
/// Shutdown is the run task's cancellation (Docket's shutdown without grace period: running handlers
/// are cancelled and their jobs released); it is announced by `phase:shutdown`.
///
/// With several processes on one journal (`--role`), the round's jobs are scheduled first by a
/// `prepare` child, alone on the journal (so that its reading of what is there is not raced by
/// runners), which exits printing `prepared`; then several `peer` children run the journal at once,
/// scheduling nothing, each until nothing is scheduled or running.
final class TortureChild: Sendable {
    enum Role: String, Sendable {
        /// Schedules the round's missing chunks and runs them, alone on the journal.
        case whole
        /// Schedules the round's missing chunks and exits.
        case prepare
        /// Runs the journal beside other peers, scheduling nothing.
        case peer
    }

    struct Options: Sendable {
        var journal: String
        var log: String
        var seed: UInt64
        var round: Int
        var jobs: Int
        var killsPerRound: Int
        var stopAfter: Int?
        var role: Role = .whole
    }

    let options: Options
    let script: [TortureJob]
    let scheduler: JobScheduler
    let log: ExecutionLog
    private let starts = Atomic<Int>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let runner = Locked<Task<Void, any Error>?>(nil)

    init(options: Options) throws {
        self.options = options
        script = TortureScript.jobs(
            seed: options.seed, round: options.round, count: options.jobs, killsPerRound: options.killsPerRound)
        log = try ExecutionLog(path: options.log)
        var configuration = SchedulerConfiguration()
        configuration.durability = .full
        configuration.maxConcurrentJobs = 8
        configuration.pollInterval = .milliseconds(50)
        configuration.randomSeed = options.seed
        configuration.defaultRetryPolicy = .strategy(TortureScript.retryDelay)
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: options.journal)))
        scheduler = JobScheduler(store: MarkingStore(journal: journal), configuration: configuration)
    }

    /// Runs the round; returns the exit code.
    func run() async throws -> Int32 {
        for kind in TortureKind.allCases where kind != .undecodable {
            try scheduler.register("torture.\(kind.rawValue)") { [self] context in try await execute(context) }
        }
        try scheduler.register(TypedTortureJob.self) { [self] _, context in try await execute(context) }
        let events = scheduler.events()
        if options.role == .prepare {
            try await scheduleMissingChunks(try await jobsOfThisRound())
            await scheduler.close()
            printLine("prepared")
            return 0
        }
        // Read before the runner starts: once it runs, jobs move between states under the reads.
        let existing = options.role == .whole ? try await jobsOfThisRound() : []
        let scheduler = self.scheduler
        runner.withLock { $0 = Task { try await scheduler.run() } }
        if options.role == .whole { try await scheduleMissingChunks(existing) }
        let watcher = Task { [self] in
            if options.role == .peer ? await waitUntilDoneBesidePeers() : await waitUntilDone(events) { shutDown() }
        }
        let outcome = await runner.withLock { $0 }?.result
        watcher.cancel()
        await scheduler.close()
        if case .failure(let error) = outcome {
            printLine("error: run() failed: \(error)")
            return 1
        }
        if stopRequested.load(ordering: .relaxed) {
            printLine("stopped")
            return 3
        }
        printLine("done")
        return 0
    }

    private func shutDown() {
        printLine("phase:shutdown")
        runner.withLock { $0 }?.cancel()
    }

    /// Schedules, one transaction per chunk and all chunks at once, the chunks of this round with no
    /// job in `existing`, then cancels the scripted cancellations still scheduled.
    private func scheduleMissingChunks(_ existing: [Job]) async throws {
        let present = Set(existing.compactMap { scripted($0.queue)?.chunk })
        let missing = Dictionary(grouping: script.filter { !present.contains($0.chunk) }, by: \.chunk)
        let now = Date()
        if !missing.isEmpty {
            printLine("scheduling chunks \(missing.keys.sorted()) of round \(options.round); present \(present.sorted())")
        }
        let inserted = try await withThrowingTaskGroup(of: [(TortureJob, ScheduledJob)].self) { group in
            for jobs in missing.values {
                let requests = jobs.map { request(for: $0, now: now) }
                group.addTask { zip(jobs, try await self.scheduler.schedule(requests)).map { ($0, $1) } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let waiting = existing.filter { $0.state == .scheduled }.compactMap { job in scripted(job.queue).map { ($0, job.id) } }
            + inserted.map { ($0.0, $0.1.id) }
        for (job, id) in waiting where job.kind == .cancelled {
            try await scheduler.cancel(id)
        }
    }

    /// Every job of this round, in any state; call it while no runner moves jobs between states.
    ///
    /// Ids are dense and grow with each insert, so this round's jobs are the last ones: the window of
    /// ids read widens until its first job belongs to an earlier round.
    private func jobsOfThisRound() async throws -> [Job] {
        let total = try await scheduler.counts().total
        var width = options.jobs
        while true {
            let after = max(0, total - width)
            var jobs: [Job] = []
            for state in JobState.allCases {
                jobs += try await scheduler.jobs(in: state, after: JobID(Int64(after)), limit: width)
            }
            let first = jobs.min { $0.id < $1.id }
            if after == 0 || first.map({ TortureJob.identity(ofQueue: $0.queue)?.round != options.round }) ?? true {
                return jobs.filter { TortureJob.identity(ofQueue: $0.queue)?.round == options.round }
            }
            width *= 2
        }
    }

    private func request(for job: TortureJob, now: Date) -> JobRequest {
        let options = JobOptions(
            uniqueKey: job.uniqueKey, queue: job.queue, maxAttempts: job.maxAttempts,
            timeout: job.kind == .timingOut ? TortureScript.timeout : nil, retry: TortureScript.retryDelay)
        let timing = JobTiming.after(.milliseconds(job.delayMilliseconds))
        switch job.kind {
        case .undecodable:
            return JobRequest(name: job.name, payload: Array("{not json".utf8), timing, options: options)
        case .snoozing:
            let until = Timestamp(now) + TortureScript.snoozeSpan
            return JobRequest(name: job.name, payload: Array("\(until.microsecondsSinceEpoch)".utf8), timing, options: options)
        default:
            return JobRequest(name: job.name, payload: [], timing, options: options)
        }
    }

    /// The scripted job a queue name stands for, in this round.
    func scripted(_ queue: String) -> TortureJob? {
        guard let (round, index) = TortureJob.identity(ofQueue: queue), round == options.round,
            script.indices.contains(index)
        else { return nil }
        return script[index]
    }

    private func waitUntilDone(_ events: AsyncStream<SchedulerEvent>) async -> Bool {
        let ending: Set<SchedulerEvent.Kind> = [.succeeded, .discarded, .cancelled, .rescued, .retryScheduled, .snoozed]
        if await isDone() { return true }
        for await event in events where ending.contains(event.kind) {
            if await isDone() { return true }
        }
        return false
    }

    /// The peers' work raises no event here: the counts are read every few milliseconds.
    private func waitUntilDoneBesidePeers() async -> Bool {
        var lastReport = ""
        while !Task.isCancelled {
            do {
                let counts = try await scheduler.counts()
                if counts.scheduled + counts.running == 0 { return true }
                let report = "waiting: \(counts.scheduled) scheduled, \(counts.running) running"
                if report != lastReport { printLine(report) }
                lastReport = report
            } catch {
                let report = "counts failed: \(error)"
                if report != lastReport { printLine(report) }
                lastReport = report
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    private func isDone() async -> Bool {
        guard let counts = try? await scheduler.counts() else { return false }
        return counts.scheduled + counts.running == 0
    }

    /// One handler execution, logged durably before it starts and as it ends.
    private func execute(_ context: JobContext) async throws {
        guard let job = scripted(context.queue) else {
            throw JobControl.discard(reason: "queue \(context.queue) is not in round \(options.round)'s script")
        }
        log.started(job.queue, attempt: context.attempt)
        printLine("phase:start")
        if let stopAfter = options.stopAfter, starts.add(1, ordering: .relaxed).newValue == stopAfter {
            stopRequested.store(true, ordering: .relaxed)
            shutDown()
        }
        var outcome = ExecutionOutcome.cancelled
        defer { log.finished(job.queue, attempt: context.attempt, outcome: outcome) }
        switch job.kind {
        case .flaky where context.attempt <= job.failures, .failing:
            outcome = .fail
            throw TortureFailure(queue: job.queue, attempt: context.attempt)
        case .snoozing where Timestamp(Date()).microsecondsSinceEpoch < Int64(String(decoding: context.payload, as: UTF8.self)) ?? 0:
            outcome = .snooze
            throw JobControl.snooze(TortureScript.snoozeFor)
        case .refused:
            outcome = .discard
            throw JobControl.discard(reason: "the script refuses \(job.queue)")
        case .timingOut:
            try await Task.sleep(for: .seconds(60))
        default:
            try await Task.sleep(for: .milliseconds(2))
        }
        outcome = .ok
    }
}

/// The error scripted failures throw.
struct TortureFailure: Error, CustomStringConvertible {
    var queue: String
    var attempt: Int
    var description: String { "scripted failure of \(queue) on attempt \(attempt)" }
}
