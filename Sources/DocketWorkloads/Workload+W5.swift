import Docket
import DocketCore
import Foundation
import Synchronization

/// W5: a million jobs parked 1-30 days ahead (batch API), the journal closed and reopened, then
/// 10,000 due-now jobs scheduled and drained.
///
/// `p50_ms` is open → first job run: from the start of opening the journal (a new scheduler on the
/// same file) until the first handler starts; it includes crash recovery, starting the run loop and
/// committing the first 1,000-job batch of due jobs, which are scheduled right after `run()` starts.
/// `seconds` and `jobs_per_s` are the drain: from the first due batch's `schedule` call until all
/// 10,000 are completed; `jobs` is those 10,000. `rss_mb` is the peak over reopen and drain (the peak
/// is reset before reopening). For comparison the same reopen-and-drain runs first, in the same
/// process, on an empty journal; its figures are in the notes.
enum ParkedWorkload {
    static let dueJobs = 10_000
    static let batchSize = 1_000
    static let dayMicros: Int64 = 86_400_000_000

    struct Drain: Sendable {
        var openToFirstRun: Duration
        /// Opening the journal (the scheduler's init), part of `openToFirstRun`.
        var opening: Duration
        /// The first due batch's `schedule` call, part of `openToFirstRun`.
        var firstBatch: Duration
        var seconds: Double
        var peakMB: Double?
        var counts: JobCounts
    }

    static func w5(_ options: Options, directory: String) async throws -> ResultRow {
        let parked = options.jobs(for: .w5)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let configuration = Harness.configuration(options, concurrency: concurrency)
        let clock = ContinuousClock()

        let emptyPath = directory + "/w5-empty.docket"
        await Harness.close(try Harness.open(path: emptyPath, configuration))
        Memory.startNewPeak()
        let empty = try await reopenAndDrain(emptyPath, configuration, label: "W5 empty journal")

        let path = directory + "/w5.docket"
        Memory.startNewPeak()
        let kept = options.parkedJournal
        let parkStart = clock.now
        var parkedHow = ""
        if let kept, FileManager.default.fileExists(atPath: kept) {
            progress("W5: copying the parked journal \(kept)")
            try copyJournal(kept, to: path)
            parkedHow = "from a journal parked earlier (\(kept)), "
        } else {
            progress("W5: parking \(grouped(parked)) jobs 1-30 days ahead")
            try await park(parked, path: kept ?? path, configuration, seed: options.seed)
            if let kept { try copyJournal(kept, to: path) }
        }
        let parkSeconds = (clock.now - parkStart).seconds
        let parkPeak = Memory.peakMB()

        let peakReset = Memory.startNewPeak()
        let drain = try await reopenAndDrain(path, configuration, label: "W5")

        let parking = parkedHow.isEmpty
            ? "parked \(grouped(parked)) jobs 1-30 days ahead with the batch API (\(grouped(batchSize)) per call) in "
                + "\(fixed(parkSeconds)) s (\(grouped(Int(Double(parked) / parkSeconds))) jobs/s, peak RSS \(fixed(parkPeak ?? 0)) MB), closed; "
            : "\(grouped(parked)) jobs parked 1-30 days ahead, \(parkedHow)copied in \(fixed(parkSeconds)) s; "
        var notes = parking
            + "p50_ms = reopen -> first job run (open \(fixed(drain.opening.milliseconds)) ms, first due batch commit \(fixed(drain.firstBatch.milliseconds)) ms); seconds = drain of \(grouped(dueJobs)) due-now jobs scheduled after run() started; "
            + "rss_mb = peak over reopen+drain; the same on an empty journal in this process: "
            + "open -> first run \(fixed(empty.openToFirstRun.milliseconds, 3)) ms, drain \(grouped(Int(Double(dueJobs) / empty.seconds))) jobs/s, "
            + "peak RSS \(fixed(empty.peakMB ?? 0)) MB"
        if !peakReset { notes += "; the peak could not be reset, so rss_mb is the process's peak" }
        var row = ResultRow(
            workload: "W5", jobs: dueJobs, seconds: drain.seconds, rssMB: drain.peakMB,
            durability: options.durabilityName, concurrency: concurrency, notes: notes)
        row.p50 = drain.openToFirstRun.milliseconds
        if drain.counts[.scheduled] != parked || drain.counts[.completed] != dueJobs {
            row.violation = "W5: expected \(parked) scheduled and \(dueJobs) completed, journal has \(Harness.describe(drain.counts))"
        }
        return row
    }

    /// Copies a closed journal, with its WAL if one was left.
    private static func copyJournal(_ source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        if FileManager.default.fileExists(atPath: source + "-wal") {
            try FileManager.default.copyItem(atPath: source + "-wal", toPath: destination + "-wal")
        }
    }

    /// Parks `count` jobs 1-30 days ahead (uniform, seeded), then closes the journal.
    private static func park(_ count: Int, path: String, _ configuration: SchedulerConfiguration, seed: UInt64) async throws {
        let open = try Harness.open(path: path, configuration)
        var generator = SplitMix64(seed: seed)
        var index = 0
        while index < count {
            let end = min(index + batchSize, count)
            var requests: [JobRequest] = []
            requests.reserveCapacity(end - index)
            for job in index..<end {
                let delay = Int64.random(in: dayMicros...(30 * dayMicros), using: &generator)
                requests.append(JobRequest(BenchJob(index: job), .after(.microseconds(delay))))
            }
            try await open.scheduler.schedule(requests)
            index = end
            if index % 100_000 == 0 { progress("W5: \(grouped(index))/\(grouped(count)) parked") }
        }
        await Harness.close(open)
    }

    /// Opens the journal at `path` with a new scheduler, runs it, schedules `dueJobs` due-now jobs in
    /// batches and waits until they are completed.
    private static func reopenAndDrain(_ path: String, _ configuration: SchedulerConfiguration, label: String) async throws -> Drain {
        let clock = ContinuousClock()
        let firstRun = FirstRun()
        let openStart = clock.now
        let open = try Harness.open(path: path, configuration)
        let scheduler = open.scheduler
        // A no-op handler registered by name, as in W2, so that the drain rates compare.
        try scheduler.register(BenchJob.jobName) { _ in
            firstRun.mark(clock.now)
        }
        let watcher = CompletionWatcher(scheduler, target: dueJobs, label: label)
        progress("\(label): reopened; draining \(grouped(dueJobs)) due-now jobs")
        let opened = clock.now
        let (drainStart, firstBatch, end) = try await Harness.whileRunning(scheduler) {
            let drainStart = clock.now
            var firstBatch: ContinuousClock.Instant?
            var index = 0
            while index < dueJobs {
                let end = min(index + batchSize, dueJobs)
                try await scheduler.schedule((index..<end).map { JobRequest(BenchJob(index: $0)) })
                if firstBatch == nil { firstBatch = clock.now }
                index = end
            }
            return (drainStart, firstBatch ?? drainStart, try await watcher.wait())
        }
        let peak = Memory.peakMB()
        let counts = try await scheduler.counts()
        await Harness.close(open)
        guard let first = firstRun.instant else { throw WorkloadError("\(label): no job ran") }
        return Drain(
            openToFirstRun: first - openStart, opening: opened - openStart, firstBatch: firstBatch - drainStart,
            seconds: (end - drainStart).seconds, peakMB: peak, counts: counts)
    }
}

/// The instant the first handler started.
final class FirstRun: Sendable {
    private let first = Locked<ContinuousClock.Instant?>(nil)

    func mark(_ instant: ContinuousClock.Instant) {
        first.withLock { if $0 == nil { $0 = instant } }
    }

    var instant: ContinuousClock.Instant? { first.withLock { $0 } }
}
