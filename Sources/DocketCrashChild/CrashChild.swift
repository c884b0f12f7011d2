import Docket
import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process for crash tests: schedules `--jobs N` jobs on `--journal PATH` when the journal is
/// empty (due now, or `--delay-ms` ahead; `--max-attempts` each), runs them with `--concurrency K`
/// and handlers that take `--handler-ms` (2 by default), prints `ran INDEX ATTEMPT JOBID` as each
/// handler starts and `running N` whenever the journal's count of running jobs changes, and exits
/// once no job is scheduled or running. `--claim-ahead-ms` sets how far ahead jobs are claimed. The
/// parent kills it with SIGKILL and starts it again. With `--queue-limit N` its jobs go to a queue
/// `narrow` declared with that limit; with `--intervals` each handler also prints `start INDEX NS` and
/// `end INDEX NS`, CLOCK_MONOTONIC nanoseconds (one clock for every process of the machine), so that
/// a parent can check a limit across several children of one journal. `--mode` runs one of
/// ``LeaderModes`` instead.
struct RecordJob: JobPayload {
    static let jobName = "record"
    var index: Int
}

@main
struct CrashChild {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        guard let journal = value("--journal") else {
            printLine("usage: DocketCrashChild --journal PATH [--jobs N] [--concurrency K]")
            exit(2)
        }
        if let mode = value("--mode") {
            exit(try await LeaderModes.run(mode, journal: journal, arguments: arguments))
        }
        var configuration = SchedulerConfiguration()
        configuration.maxConcurrentJobs = Int(value("--concurrency") ?? "") ?? 4
        if let ahead = value("--claim-ahead-ms").flatMap(Int.init) { configuration.claimAhead = .milliseconds(ahead) }
        let handlerTime = Duration.milliseconds(Int(value("--handler-ms") ?? "") ?? 2)
        let maxAttempts = value("--max-attempts").flatMap(Int.init)
        let delay = Duration.milliseconds(Int(value("--delay-ms") ?? "") ?? 0)
        configuration.durability = .normal
        configuration.defaultRetryPolicy = .strategy(.fixed(.milliseconds(1)))
        let queueLimit = value("--queue-limit").flatMap(Int.init)
        if let queueLimit { configuration.queues = [JobQueue("narrow", maxConcurrentJobs: queueLimit)] }
        let intervals = arguments.contains("--intervals")
        let scheduler = try JobScheduler(path: journal, configuration: configuration)
        try scheduler.register(RecordJob.self) { job, context in
            if intervals { printLine("start \(job.index) \(monotonicNanoseconds())") }
            printLine("ran \(job.index) \(context.attempt) \(context.id)")
            try await Task.sleep(for: handlerTime)
            if intervals { printLine("end \(job.index) \(monotonicNanoseconds())") }
        }
        let events = scheduler.events()
        if try await scheduler.counts().total == 0 {
            let count = Int(value("--jobs") ?? "") ?? 200
            let options = JobOptions(queue: queueLimit == nil ? nil : "narrow", maxAttempts: maxAttempts)
            try await scheduler.schedule((0..<count).map { JobRequest(RecordJob(index: $0), .after(delay), options: options) })
            printLine("scheduled \(count)")
        }
        let runner = Task { try await scheduler.run() }
        let watcher = Task {
            var last = -1
            while !Task.isCancelled {
                let running = (try? await scheduler.counts()[.running]) ?? 0
                if running != last { printLine("running \(running)") }
                last = running
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        defer { watcher.cancel() }
        if try await !isDone(scheduler) {
            // Its own events, or the journal read every 2 ms: with other processes on the journal,
            // the last jobs may end in one of them, and no event of this one's says so.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while try await !isDone(scheduler) { try await Task.sleep(for: .milliseconds(2)) }
                }
                group.addTask {
                    for await _ in events where try await isDone(scheduler) { break }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
        runner.cancel()
        try await runner.value
        await scheduler.close()
        printLine("done")
    }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func isDone(_ scheduler: JobScheduler) async throws -> Bool {
        let counts = try await scheduler.counts()
        return counts.scheduled + counts.running == 0
    }
}
