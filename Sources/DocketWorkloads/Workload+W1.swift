import Docket
import Synchronization

/// W1, W1c and W1b: scheduling jobs due in one hour, one call per job (one caller or 64) or in batches.
///
/// The scheduler is opened but not run: no job falls due during the measurement, and scheduling is
/// what is measured. `concurrency` reports the configured `maxConcurrentJobs` for W1 and W1b, and the
/// number of callers for W1c, as BENCHMARKS.md defines it.
enum ScheduleWorkloads {
    static let dueIn: Duration = .seconds(3600)
    static let defaultCallers = 64
    static let batchSize = 1_000

    /// W1: one caller, one awaited `schedule` per job; each returns once its job is durable.
    static func w1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w1)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let open = try Harness.open(path: directory + "/w1.docket", Harness.configuration(options, concurrency: concurrency))
        let scheduler = open.scheduler
        let before = open.journal.statistics
        let clock = ContinuousClock()
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        let start = clock.now
        for index in 0..<count {
            let callStart = clock.now
            try await scheduler.schedule(BenchJob(index: index), .after(dueIn))
            latencies.append((clock.now - callStart).milliseconds)
            if (index + 1) % 10_000 == 0 { progress("W1: \(grouped(index + 1))/\(grouped(count)) scheduled") }
        }
        let elapsed = clock.now - start
        let commits = open.commits(since: before)
        var row = ResultRow(
            workload: "W1", jobs: count, seconds: elapsed.seconds, latencies: Percentiles(milliseconds: latencies),
            rssMB: Memory.peakMB(), durability: options.durabilityName, concurrency: concurrency,
            notes: "one caller, one awaited schedule() per job due in 1 h; scheduler not running (concurrency = configured maxConcurrentJobs); "
                + "\(grouped(commits.transactions)) commits for \(grouped(commits.operations)) inserts")
        row.violation = try await verifyScheduled(scheduler, count: count, workload: "W1")
        await scheduler.close()
        return row
    }

    /// W1c: `callers` concurrent callers share N jobs, one awaited `schedule` per job.
    static func w1c(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w1c)
        let callers = options.concurrency ?? defaultCallers
        let configuration = Harness.configuration(options, concurrency: SchedulerConfiguration().maxConcurrentJobs)
        let open = try Harness.open(path: directory + "/w1c.docket", configuration)
        let scheduler = open.scheduler
        let before = open.journal.statistics
        let next = Ticket()
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let index = next.take()
                        guard index < count else { break }
                        let callStart = clock.now
                        try await scheduler.schedule(BenchJob(index: index), .after(dueIn))
                        mine.append((clock.now - callStart).milliseconds)
                        if (index + 1) % 20_000 == 0 { progress("W1c: about \(grouped(index + 1))/\(grouped(count)) scheduled") }
                    }
                    return mine
                }
            }
            var all: [Double] = []
            all.reserveCapacity(count)
            for try await mine in group { all += mine }
            return all
        }
        let elapsed = clock.now - start
        let commits = open.commits(since: before)
        let perCommit = Double(commits.operations) / Double(max(commits.transactions, 1))
        var row = ResultRow(
            workload: "W1c", jobs: count, seconds: elapsed.seconds, latencies: Percentiles(milliseconds: latencies),
            rssMB: Memory.peakMB(), durability: options.durabilityName, concurrency: callers,
            notes: "\(callers) concurrent callers, one awaited schedule() per job due in 1 h; scheduler not running; "
                + "group commit: \(grouped(commits.transactions)) commits, \(fixed(perCommit)) inserts per commit")
        row.violation = try await verifyScheduled(scheduler, count: count, workload: "W1c")
        await scheduler.close()
        return row
    }

    /// W1b: the batch API, `batchSize` jobs per call (one transaction each).
    static func w1b(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w1b)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let open = try Harness.open(path: directory + "/w1b.docket", Harness.configuration(options, concurrency: concurrency))
        let scheduler = open.scheduler
        let clock = ContinuousClock()
        var batchTimes: [Double] = []
        let start = clock.now
        var index = 0
        while index < count {
            let end = min(index + batchSize, count)
            let callStart = clock.now
            // Building the requests (payload encoding) is part of the API's cost, so it is timed.
            try await scheduler.schedule((index..<end).map { JobRequest(BenchJob(index: $0), .after(dueIn)) })
            batchTimes.append((clock.now - callStart).milliseconds)
            index = end
        }
        let elapsed = clock.now - start
        let batches = Percentiles(milliseconds: batchTimes)
        var row = ResultRow(
            workload: "W1b", jobs: count, seconds: elapsed.seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency,
            notes: "schedule([JobRequest]) in batches of \(grouped(batchSize)) due in 1 h, one transaction per batch; "
                + "scheduler not running (concurrency = configured maxConcurrentJobs); per-batch call p50 \(fixed(batches?.p50 ?? 0, 2)) ms, max \(fixed(batches?.max ?? 0, 2)) ms")
        row.violation = try await verifyScheduled(scheduler, count: count, workload: "W1b")
        await scheduler.close()
        return row
    }

    /// Nil when the journal holds exactly `count` scheduled jobs, else what it holds.
    static func verifyScheduled(_ scheduler: JobScheduler, count: Int, workload: String) async throws -> String? {
        let counts = try await scheduler.counts()
        guard counts[.scheduled] == count, counts.total == count else {
            return "\(workload): expected \(count) scheduled jobs, journal has \(Harness.describe(counts))"
        }
        return nil
    }
}

/// Hands out 0, 1, 2, … to concurrent callers.
final class Ticket: Sendable {
    private let counter = Atomic<Int>(0)

    func take() -> Int {
        counter.add(1, ordering: .relaxed).oldValue
    }
}
