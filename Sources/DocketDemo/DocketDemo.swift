import Docket
import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `docket-demo`: schedules a handful of jobs, runs them, retries, times out, crashes on purpose and
/// recovers.
///
///     docket-demo [--journal PATH]   the whole demo: a child process is killed mid-way, then resumed
///     docket-demo --run --journal PATH   run the journal until every job is finished (scheduling the
///                                        demo jobs if it is empty); kill it and run it again
@main
struct DocketDemo {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let runOnly = arguments.contains("--run")
        arguments.removeAll { $0 == "--run" }
        var journal: String?
        if let index = arguments.firstIndex(of: "--journal"), index + 1 < arguments.count {
            journal = arguments[index + 1]
        }
        if runOnly {
            guard let journal else {
                printLine("--run needs --journal PATH")
                exit(2)
            }
            try await runUntilDone(journal: journal, label: "run")
            return
        }
        let path = journal ?? temporaryJournal()
        printLine("docket demo: journal \(path)")
        printLine("phase 1: a child process schedules 5 jobs, declares a schedule firing every second, and runs them; it is killed with SIGKILL mid-job")
        try killChildMidway(journal: path)
        printLine("phase 2: a new scheduler opens the same journal, rescues the interrupted job and finishes")
        try await runUntilDone(journal: path, label: "resume")
    }

    static func temporaryJournal() -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("docket-demo-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("demo.docket").path
    }

    /// Runs `--run` in a child process and kills it once the long task has done a few steps.
    static func killChildMidway(journal: String) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        child.arguments = ["--run", "--journal", journal]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        var killed = false
        forEachLine(in: pipe.fileHandleForReading) { line in
            // What the child wrote in its last instant is not part of the story.
            guard !killed else { return }
            printLine("  child | \(line)")
            if line.contains("long task step 4/") {
                kill(child.processIdentifier, SIGKILL)
                printLine("  parent: SIGKILL sent to the child (pid \(child.processIdentifier)) in the middle of the long task")
                killed = true
            }
        }
        child.waitUntilExit()
    }

    /// Runs the scheduler on `journal` until no job is scheduled or running, then shuts down.
    static func runUntilDone(journal: String, label: String) async throws {
        let start = ContinuousClock.now
        let stamp: @Sendable () -> String = {
            let elapsed = ContinuousClock.now - start
            let millis = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            return String(format: "+%5.2fs", Double(millis) / 1000)
        }
        let say: @Sendable (String) -> Void = { printLine("\(stamp()) [\(label)] \($0)") }
        let scheduler = try JobScheduler(path: journal)
        try DemoJobs.register(on: scheduler, print: say)
        let events = scheduler.events()
        if try await scheduler.counts().total == 0 {
            try await DemoJobs.scheduleAll(on: scheduler)
            say("scheduled greet now, flaky in 0.1s, hang in 0.2s, long-task in 0.3s, report in 1.5s")
        }
        let runner = Task { try await scheduler.run() }
        for await event in events {
            switch event.kind {
            case .started, .scheduled, .released: continue
            case .succeeded where event.jobName == Heartbeat.jobName: continue
            default: say(describe(event))
            }
            let counts = try await scheduler.counts()
            if counts.scheduled + counts.running == 0 { break }
        }
        runner.cancel()
        _ = try await runner.value
        say("all jobs finished:")
        for state in [JobState.completed, .discarded] {
            for job in try await scheduler.jobs(in: state, limit: 1_000) where job.schedule == nil {
                let history = job.attempts.map { "\($0.number):\($0.outcome?.rawValue ?? "open")" }.joined(separator: " ")
                printLine("    \(job.name)#\(job.id) \(job.state) after \(job.attempt) attempt(s) [\(history)]")
            }
        }
        if let heartbeat = try await scheduler.schedule(named: "heartbeat") {
            let jobs = try await scheduler.jobs(in: .completed, limit: 1_000).filter { $0.schedule?.scheduleName == "heartbeat" }
            let firings = Set(jobs.compactMap { $0.schedule?.firedAt }).count
            printLine(
                "    schedule heartbeat: \(heartbeat.fired) jobs for \(firings) firings (one each), \(heartbeat.missed) missed while no process ran, \(heartbeat.skipped) skipped")
        }
        await scheduler.close()
    }

    static func describe(_ event: SchedulerEvent) -> String {
        let job = "\(event.jobName)#\(event.jobID)"
        let attempt = event.attempt.map { " attempt \($0)" } ?? ""
        switch event.kind {
        case .failed: return "\(job)\(attempt) failed: \(event.error ?? "")"
        case .retryScheduled: return "\(job) will retry"
        case .rescued: return "\(job) rescued after the crash: \(event.error ?? "")"
        default: return "\(job)\(attempt) \(event.kind.rawValue)"
        }
    }
}
