import Docket
import DocketSQLite
import Foundation

/// The payload the throughput workloads schedule: small, like the id a real job carries.
struct BenchJob: JobPayload {
    static let jobName = "bench"
    var index: Int

    /// The bytes `JobRequest(BenchJob(index:))` stores, for the baseline to insert the same payload.
    static func payloadBytes(index: Int) -> [UInt8] {
        Array("{\"index\":\(index)}".utf8)
    }
}

/// A scheduler on a journal file, with a handle on the journal to read its commit counters.
struct OpenScheduler: Sendable {
    let scheduler: JobScheduler
    let journal: SQLiteJournal

    /// Commits and operations since `earlier`, for notes about group commit.
    func commits(since earlier: JournalStatistics) -> (transactions: Int, operations: Int) {
        let now = journal.statistics
        return (now.transactionsCommitted - earlier.transactionsCommitted, now.operationsApplied - earlier.operationsApplied)
    }
}

enum Harness {
    /// The configuration every workload starts from: the command line's durability and seed, the
    /// library's defaults for the rest.
    static func configuration(_ options: Options, concurrency: Int) -> SchedulerConfiguration {
        var configuration = SchedulerConfiguration()
        configuration.durability = options.durability
        configuration.maxConcurrentJobs = concurrency
        configuration.randomSeed = options.seed
        if options.metrics { configuration.middleware = [DocketMetrics()] }
        configuration.queues = queueNames(options).map { JobQueue($0, maxConcurrentJobs: concurrency) }
        return configuration
    }

    /// Opens the journal at `path` the way `JobScheduler(path:configuration:)` does (same journal
    /// configuration, same runner lock beside it), keeping the journal to read its commit counters,
    /// which the scheduler does not expose.
    static func open(path: String, _ configuration: SchedulerConfiguration) throws -> OpenScheduler {
        let journal = try SQLiteJournal(
            configuration: JournalConfiguration(
                location: .file(path: path), durability: configuration.durability,
                busyTimeout: configuration.busyTimeout, maxPayloadBytes: configuration.maxPayloadBytes))
        let scheduler = JobScheduler(store: journal, configuration: configuration)
        return OpenScheduler(scheduler: scheduler, journal: journal)
    }

    /// Schedules `count` BenchJobs with the batch API, `batch` per call (one transaction each).
    static func enqueue(
        _ scheduler: JobScheduler, count: Int, batch: Int = 1_000, queues: [String] = [], timing: (Int) -> JobTiming
    ) async throws {
        var index = 0
        while index < count {
            let end = min(index + batch, count)
            try await scheduler.schedule(
                (index..<end).map { index in
                    let queue = queues.isEmpty ? nil : queues[index % queues.count]
                    return JobRequest(BenchJob(index: index), timing(index), options: JobOptions(queue: queue))
                })
            index = end
        }
    }

    /// The queues `--queues` declares: `q0`, `q1`, …; none by default.
    static func queueNames(_ options: Options) -> [String] {
        (0..<options.queues).map { "q\($0)" }
    }

    /// Runs `body` while `scheduler.run()` runs, then stops the scheduler by cancelling its task (a
    /// shutdown without grace period) and waits until `run()` has returned.
    ///
    /// `run()` returning or throwing before `body` is done fails the workload instead of leaving it
    /// waiting for jobs that nothing runs.
    static func whileRunning<T: Sendable>(
        _ scheduler: JobScheduler, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await scheduler.run()
                return nil
            }
            group.addTask { try await body() }
            while let next = try await group.next() {
                guard let value = next else { break }
                group.cancelAll()
                // Leaving the group waits for run() to return.
                return value
            }
            throw WorkloadError("the scheduler stopped running before the workload finished")
        }
    }

    /// Closes the scheduler and its journal.
    static func close(_ open: OpenScheduler) async {
        await open.scheduler.close()
    }

    /// Counts of terminal jobs in `counts`.
    static func terminal(_ counts: JobCounts) -> Int {
        JobState.allCases.filter(\.isTerminal).reduce(0) { $0 + counts[$1] }
    }

    /// The states that have jobs, as "completed 100000, scheduled 3" for notes and errors.
    static func describe(_ counts: JobCounts) -> String {
        JobState.allCases.filter { counts[$0] > 0 }.map { "\($0) \(counts[$0])" }.joined(separator: ", ")
    }
}
