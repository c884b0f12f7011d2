import Docket
import Foundation

/// W4: a child process runs N due-now jobs; the parent SIGKILLs it at about half the handler runs,
/// starts it again on the same journal, and waits until every job is terminal.
///
/// `seconds` is from the restart (spawn) until the restarted child exits after every job is terminal,
/// so it includes process start, opening the journal and crash recovery. `lost` counts jobs that did
/// not end completed with their run in the log; `duplicates` counts log records beyond one per job
/// (runs repeated because the kill came between a handler's record and its job's commit).
enum CrashWorkload {
    static let childTimeout: Duration = .seconds(600)

    static func w4(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w4)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let journal = directory + "/w4.docket"
        let log = directory + "/w4.log"
        let arguments = [
            "--w4-child", journal, log, "--jobs", String(count), "--durability", options.durabilityName,
            "--concurrency", String(concurrency), "--seed", String(options.seed),
        ]
        let clock = ContinuousClock()

        let first = try spawn(arguments)
        let half = count / 2
        while logRecords(log).count < half {
            guard first.isRunning else {
                throw WorkloadError("the first W4 child exited (status \(first.terminationStatus)) after \(logRecords(log).count) runs, before half")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        kill(first.processIdentifier, SIGKILL)
        try await waitForExit(first, clock: clock)
        let recordsAtKill = logRecords(log).count
        // Read-only, so that nothing (not even a checkpoint) changes the journal the restart finds.
        let completedAtKill = try RawSQLite.completedJobs(path: journal)
        progress("W4: SIGKILL sent to child \(first.processIdentifier) after \(grouped(recordsAtKill)) handler runs; restarting")

        let restart = clock.now
        let second = try spawn(arguments)
        try await waitForExit(second, clock: clock)
        let seconds = (clock.now - restart).seconds
        guard second.terminationReason == .exit, second.terminationStatus == 0 else {
            throw WorkloadError("the restarted W4 child failed (status \(second.terminationStatus))")
        }

        let journalView = try await readBack(journal)
        let records = logRecords(log)
        let logged = Set(records)
        let completedAndLogged = journalView.completed.filter { logged.contains($0.key) }
        let lost = count - completedAndLogged.count
        let duplicates = records.count - logged.count
        let rerun = journalView.completed.values.filter { $0 > 1 }.count
        var row = ResultRow(
            workload: "W4", jobs: count, seconds: seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency,
            notes: "child killed with SIGKILL after \(grouped(recordsAtKill)) of \(grouped(count)) handler runs "
                + "(\(grouped(completedAtKill)) completed in the journal by then); seconds = restart spawn to child exit; "
                + "\(grouped(rerun)) jobs completed on attempt 2+ (crash recovery reschedules them after the default retry "
                + "policy's first delay, 0.9-1 s, which sets a floor under seconds); handler: O_APPEND write + fdatasync + 1 ms sleep; "
                + "journal: \(Harness.describe(journalView.counts)); rss_mb is this parent's")
        row.extra = [("lost", lost), ("duplicates", duplicates)]
        if lost > 0 || journalView.counts.total != count {
            row.violation = "W4: \(lost) jobs lost; journal has \(Harness.describe(journalView.counts))"
        }
        return row
    }

    /// The completed jobs (id → attempt) and counts, read by a scheduler that does not run.
    private static func readBack(_ path: String) async throws -> (completed: [Int64: Int], counts: JobCounts) {
        let scheduler = try JobScheduler(path: path)
        var completed: [Int64: Int] = [:]
        var after: JobID?
        while true {
            let page = try await scheduler.jobs(in: .completed, after: after, limit: 1_000)
            guard let last = page.last else { break }
            for job in page { completed[job.id.rawValue] = job.attempt }
            after = last.id
        }
        let counts = try await scheduler.counts()
        await scheduler.close()
        return (completed, counts)
    }

    /// The job ids in the log, one per handler run, in order.
    static func logRecords(_ path: String) -> [Int64] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        // A record is whole once its newline is there; a torn last line is not counted.
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).dropLast(data.last == UInt8(ascii: "\n") ? 0 : 1)
            .compactMap { Int64(String(decoding: $0, as: UTF8.self)) }
    }

    private static func spawn(_ arguments: [String]) throws -> Process {
        let process = Process()
        // /proc/self/exe names this very binary even if it was started through a relative path or a symlink.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // The child's output is progress, never results: it goes to this process's stderr.
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        try process.run()
        return process
    }

    private static func waitForExit(_ process: Process, clock: ContinuousClock) async throws {
        let deadline = clock.now + childTimeout
        while process.isRunning {
            if clock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw WorkloadError("a W4 child ran longer than \(childTimeout); killed it")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
