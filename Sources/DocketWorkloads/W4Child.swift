import Docket
import Foundation

/// W4's job: its handler appends the job id to a log file.
struct W4Job: JobPayload {
    static let jobName = "w4"
    var index: Int
}

/// The W4 child: this executable started again with `--w4-child JOURNAL LOGFILE`.
///
/// On an empty journal it schedules N due-now jobs in one transaction (so a kill leaves all or none);
/// on a journal it finds full it only runs what is left. Each handler run appends the job id to the
/// log and sleeps 1 ms. It exits 0 once every job is terminal. Its stdout goes to the parent's stderr.
enum W4Child {
    static func main(_ arguments: W4ChildArguments) async -> Int32 {
        do {
            try await run(arguments)
            return 0
        } catch {
            progress("W4 child \(getpid()): \(error)")
            return 1
        }
    }

    private static func run(_ arguments: W4ChildArguments) async throws {
        let options = arguments.options
        let count = options.jobs(for: .w4)
        let configuration = Harness.configuration(options, concurrency: options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs)
        let scheduler = try JobScheduler(path: arguments.journal, configuration: configuration)
        // O_APPEND places each record at the end in a single write, which the page cache keeps when the
        // process is killed; fdatasync also carries it through a machine crash, as the brief asks.
        let log = open(arguments.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else {
            throw WorkloadError("cannot open the log \(arguments.log): \(String(cString: strerror(errno)))")
        }
        defer { close(log) }
        try scheduler.register(W4Job.self) { _, context in
            writeAll("\(context.id.rawValue)\n", to: log)
            _ = fdatasync(log)
            try await Task.sleep(for: .milliseconds(1))
        }
        var counts = try await scheduler.counts()
        if counts.total == 0 {
            try await scheduler.schedule((0..<count).map { JobRequest(W4Job(index: $0)) })
            progress("W4 child \(getpid()): scheduled \(grouped(count)) jobs")
            counts = try await scheduler.counts()
        } else {
            progress("W4 child \(getpid()): restarted on a journal with \(Harness.describe(counts))")
        }
        let watcher = CompletionWatcher(
            scheduler, target: counts.total, alreadyTerminal: Harness.terminal(counts), label: "W4 child")
        _ = try await Harness.whileRunning(scheduler) { try await watcher.wait() }
        progress("W4 child \(getpid()): every job is terminal")
        await scheduler.close()
    }
}
