import Docket
import DocketCore
import Foundation
import Synchronization

/// A job that knows when it is due, as an offset from the workload's anchor.
struct TimedJob: JobPayload {
    static let jobName = "timed"
    var dueOffsetMicros: Int64
}

/// W3: N jobs with delays spread uniformly over 0-5 s; the handler records when it starts, and
/// lateness is start time minus due time.
///
/// Due times are wall-clock dates (that is what the journal stores) computed from one anchor read on
/// both clocks at once; lateness is measured on ContinuousClock from the same anchor, so a wall-clock
/// step during the run cannot distort it. The jobs are scheduled while the scheduler runs, in
/// ascending order of delay, 100 per batch: a batch is committed before most of its jobs are due,
/// so lateness is the scheduler's and not the insert's, and each insert transaction is short (a
/// transaction of 1,000 rows held the writer for tens of milliseconds, and the claims of jobs due
/// meanwhile waited behind it). Jobs due before their batch committed are counted in the notes.
///
/// `W3_DUMP=path` writes each job's due offset (µs) and lateness (ms), one pair per line, for
/// looking at where in time the late jobs are.
enum LatenessWorkload {
    static let spreadMicros: Int64 = 5_000_000
    static let batchSize = 100

    /// Handler start instants and the due offsets they belong to.
    final class StartLog: Sendable {
        private let starts = Locked<[(started: ContinuousClock.Instant, dueOffsetMicros: Int64)]>([])

        func record(_ started: ContinuousClock.Instant, dueOffsetMicros: Int64) {
            starts.withLock { $0.append((started, dueOffsetMicros)) }
        }

        func pairs(anchor: ContinuousClock.Instant) -> [(Int64, Double)] {
            starts.withLock { $0.map { ($0.dueOffsetMicros, ($0.started - (anchor + .microseconds($0.dueOffsetMicros))).milliseconds) } }
        }

        func lateness(anchor: ContinuousClock.Instant) -> [Double] {
            starts.withLock { $0.map { ($0.started - (anchor + .microseconds($0.dueOffsetMicros))).milliseconds } }
        }
    }

    struct Outcome: Sendable {
        var anchor: ContinuousClock.Instant
        var end: ContinuousClock.Instant
        var insertSeconds: Double
        var dueBeforeCommit: Int
    }

    static func w3(_ options: Options, prunable: Int = 0, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w3)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let path = directory + "/w3.docket"
        var prefillSeconds = 0.0
        if prunable > 0 {
            progress("W3: prefilling \(grouped(prunable)) ended jobs past retention")
            prefillSeconds = try await RetentionWorkload.prefill(path: path, count: prunable, options: options)
        }
        let open = try Harness.open(path: path, Harness.configuration(options, concurrency: concurrency))
        let scheduler = open.scheduler
        let clock = ContinuousClock()
        let log = StartLog()
        try scheduler.register(TimedJob.self) { job, _ in
            log.record(clock.now, dueOffsetMicros: job.dueOffsetMicros)
        }
        var generator = SplitMix64(seed: options.seed)
        let offsets = (0..<count).map { _ in Int64.random(in: 0...spreadMicros, using: &generator) }.sorted()
        let before = open.journal.statistics
        let watcher = CompletionWatcher(scheduler, target: count, label: "W3")
        progress("W3: scheduling \(grouped(count)) jobs over 0-5 s while running")
        let outcome = try await Harness.whileRunning(scheduler) {
            try await scheduleAndWait(scheduler, offsets: offsets, watcher: watcher, clock: clock)
        }
        let commits = open.commits(since: before)
        let counts = try await scheduler.counts()
        await scheduler.close()

        let lateness = log.lateness(anchor: outcome.anchor)
        if let dump = ProcessInfo.processInfo.environment["W3_DUMP"] {
            let lines = log.pairs(anchor: outcome.anchor).map { "\($0.0) \($0.1)" }.joined(separator: "\n")
            try? lines.write(toFile: dump, atomically: true, encoding: .utf8)
        }
        var notes = "lateness = handler start - due time (ms); delays uniform 0-5 s (seed \(options.seed)); "
            + "scheduled while running, ascending delay, \(grouped(batchSize)) per batch, inserts took \(fixed(outcome.insertSeconds, 3)) s; "
            + "\(grouped(outcome.dueBeforeCommit)) jobs were due before their batch committed; no-op handler; "
            + "\(grouped(commits.transactions)) commits for \(grouped(commits.operations)) writes"
        if watcher.endedByPolling { notes += "; end found by polling the journal (events dropped)" }
        if prunable > 0 {
            let left = try RetentionWorkload.oldJobsLeft(path: path)
            notes += RetentionWorkload.prunedNote(prefilled: prunable, left: left, seconds: prefillSeconds)
        }
        var row = ResultRow(
            workload: "W3", jobs: count, seconds: (outcome.end - outcome.anchor).seconds,
            latencies: Percentiles(milliseconds: lateness), rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency, notes: notes)
        let oldCompleted = prunable > 0 ? try RetentionWorkload.oldJobsLeft(path: path, completedOnly: true) : 0
        if counts[.completed] - oldCompleted != count || lateness.count != count {
            row.violation = "W3: \(lateness.count) handler runs for \(count) jobs; journal has \(Harness.describe(counts))"
        }
        return row
    }

    private static func scheduleAndWait(
        _ scheduler: JobScheduler, offsets: [Int64], watcher: CompletionWatcher, clock: ContinuousClock
    ) async throws -> Outcome {
        // One anchor on both clocks; due dates are wall-clock dates from it.
        let wallAnchor = Date()
        let anchor = clock.now
        var dueBeforeCommit = 0
        var index = 0
        while index < offsets.count {
            let end = min(index + batchSize, offsets.count)
            let batch = offsets[index..<end]
            try await scheduler.schedule(batch.map { offset in
                JobRequest(TimedJob(dueOffsetMicros: offset), .at(wallAnchor.addingTimeInterval(Double(offset) / 1e6)))
            })
            let committedMicros = (clock.now - anchor).seconds * 1e6
            dueBeforeCommit += batch.prefix { Double($0) < committedMicros }.count
            index = end
        }
        let insertSeconds = (clock.now - anchor).seconds
        let end = try await watcher.wait()
        return Outcome(anchor: anchor, end: end, insertSeconds: insertSeconds, dueBeforeCommit: dueBeforeCommit)
    }
}
