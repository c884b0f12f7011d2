import Docket
import DocketTesting
import Foundation
import ProcessSupport
import Testing

/// Tests on real journal files: the runner lock, the real-time smoke test and crash recovery.
@Suite(.timeLimit(.minutes(2)))
struct JournalFileTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aRealTimeSmokeTestRunsDelayedJobs() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = SchedulerConfiguration()
        configuration.pollInterval = .milliseconds(50)
        let scheduler = try JobScheduler(path: directory.appendingPathComponent("smoke.docket").path, configuration: configuration)
        let ran = Recorder<String>()
        try scheduler.register(Note.self) { note, _ in ran.append(note.text) }
        var events = scheduler.events().makeAsyncIterator()
        for delay in [30, 10, 20] {
            try await scheduler.schedule(Note(text: "\(delay)ms"), .after(.milliseconds(delay)))
        }
        let runner = Task { try await scheduler.run() }
        var succeeded = 0
        while succeeded < 3, let event = await events.next() {
            if event.kind == .succeeded { succeeded += 1 }
        }
        runner.cancel()
        try await runner.value
        #expect(Set(ran.all) == ["10ms", "20ms", "30ms"])
        #expect(try await scheduler.counts()[.completed] == 3)
        await scheduler.close()
    }

    @Test func aSecondRunnerRunsTheSameJournal() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("lock.docket").path
        let first = try JobScheduler(path: path)
        try first.register(Note.self) { _, _ in }
        var events = first.events().makeAsyncIterator()
        try await first.schedule(Note(text: "proof of life"))
        let runner = Task { try await first.run() }
        while let event = await events.next(), event.kind != .succeeded {}
        let second = try JobScheduler(path: path)
        try second.register(Note.self) { _, _ in }
        let secondRunner = Task { try await second.run() }
        try await second.waitUntilRunning()
        // Jobs scheduled from the second run on one of the two; neither rescued the other's.
        let scheduled = try await second.schedule(Note(text: "from the second"))
        #expect(try await second.job(scheduled.id) != nil)
        runner.cancel()
        secondRunner.cancel()
        try await runner.value
        try await secondRunner.value
        await second.close()
        await first.close()
    }

    @Test func aKilledRunnerLosesNoJob() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("crash.docket").path
        let jobs = 200
        var ran: [String] = []
        // First run: killed once it has started 60 jobs.
        ran += try CrashChildProcess.run(journal: journal, jobs: jobs, killAfterRuns: 60)
        #expect(ran.count >= 60)
        // Second run: finishes by itself.
        ran += try CrashChildProcess.run(journal: journal, jobs: jobs, killAfterRuns: nil)
        let scheduler = try JobScheduler(path: journal)
        let counts = try await scheduler.counts()
        #expect(counts[.completed] == jobs)
        #expect(counts.total == jobs)
        let fields = ran.map { $0.split(separator: " ") }
        let indices = fields.compactMap { Int($0[1]) }
        #expect(Set(indices) == Set(0..<jobs))
        // A job runs twice only when the kill hit it between its claim and the commit of its outcome:
        // then its first attempt is closed as interrupted by crash recovery.
        var runs: [Int64: Int] = [:]
        for field in fields { runs[Int64(field[3]) ?? 0, default: 0] += 1 }
        let repeated = runs.filter { $0.value > 1 }.map { JobID($0.key) }
        for id in repeated {
            let outcomes = try #require(try await scheduler.job(id)).attempts.map(\.outcome)
            #expect(outcomes.contains(.interrupted), "job \(id) ran twice without being interrupted: \(outcomes)")
        }
        await scheduler.close()
    }
}

/// Starts `DocketCrashChild`, reads its `ran` lines, and kills it with SIGKILL after `killAfterRuns`.
enum CrashChildProcess {
    static var executable: URL {
        let tests = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let directory = FileManager.default.fileExists(atPath: tests.path)
            ? tests.deletingLastPathComponent()
            : Bundle.main.bundleURL.deletingLastPathComponent()
        return directory.appendingPathComponent("DocketCrashChild")
    }

    static func run(journal: String, jobs: Int, killAfterRuns: Int?) throws -> [String] {
        try run(journal: journal, arguments: ["--jobs", "\(jobs)", "--concurrency", "4"], killAfterRuns: killAfterRuns)
    }

    /// Runs the child with `arguments`; kills it after `killAfterRuns` `ran` lines, or at the first
    /// line `killAt` accepts. Returns the `ran` lines.
    static func run(
        journal: String, arguments: [String], killAfterRuns: Int? = nil, killAt: ((String) -> Bool)? = nil
    ) throws -> [String] {
        let child = Process()
        child.executableURL = executable
        child.arguments = ["--journal", journal] + arguments
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        var lines: [String] = []
        var killed = false
        let expectsKill = killAfterRuns != nil || killAt != nil
        forEachLine(in: pipe.fileHandleForReading) { line in
            if line.hasPrefix("ran ") { lines.append(line) }
            let reached = killAfterRuns.map { lines.count >= $0 } ?? false
            if !killed, reached || (killAt?(line) ?? false) {
                kill(child.processIdentifier, SIGKILL)
                killed = true
            }
        }
        child.waitUntilExit()
        if expectsKill {
            #expect(child.terminationReason == .uncaughtSignal)
        } else {
            #expect(child.terminationStatus == 0)
        }
        return lines
    }
}
