import Docket
import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process for crash tests: schedules `--jobs N` due-now jobs on `--journal PATH` when the
/// journal is empty, runs them with `--concurrency K`, prints `ran INDEX ATTEMPT JOBID` as each handler starts,
/// and exits once no job is scheduled or running. The parent kills it with SIGKILL and starts it again.
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
        var configuration = SchedulerConfiguration()
        configuration.maxConcurrentJobs = Int(value("--concurrency") ?? "") ?? 4
        configuration.durability = .normal
        configuration.defaultRetryPolicy = .strategy(.fixed(.milliseconds(1)))
        let scheduler = try JobScheduler(path: journal, configuration: configuration)
        try scheduler.register(RecordJob.self) { job, context in
            printLine("ran \(job.index) \(context.attempt) \(context.id)")
            try await Task.sleep(for: .milliseconds(2))
        }
        let events = scheduler.events()
        if try await scheduler.counts().values.reduce(0, +) == 0 {
            let count = Int(value("--jobs") ?? "") ?? 200
            try await scheduler.schedule((0..<count).map { JobRequest(RecordJob(index: $0)) })
            printLine("scheduled \(count)")
        }
        let runner = Task { try await scheduler.run() }
        if try await !isDone(scheduler) {
            for await _ in events where try await isDone(scheduler) { break }
        }
        runner.cancel()
        try await runner.value
        await scheduler.close()
        printLine("done")
    }

    static func isDone(_ scheduler: JobScheduler) async throws -> Bool {
        let counts = try await scheduler.counts()
        return (counts[.scheduled] ?? 0) + (counts[.running] ?? 0) == 0
    }
}
