import Docket
import Foundation
import ProcessSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A queue limit across several processes on one journal: three `DocketCrashChild` processes, each
/// allowed one job at once, run 10,000 jobs of a queue limited to 2, so that the limit, not each
/// process's own, is what holds the third back. Each handler prints when it starts and ends on
/// CLOCK_MONOTONIC, which every process of the machine shares; a handler runs inside its job's
/// running interval, so more than two handlers at once would mean more than two running jobs.
@Suite(.timeLimit(.minutes(5)))
struct QueueLimitProcessesTests {
    /// Matches `RecordJob` of DocketCrashChild: same name, same payload shape.
    struct RecordJob: JobPayload {
        static let jobName = "record"
        var index: Int
    }

    @Test func aLimitOfTwoHoldsAcrossThreeProcesses() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("limit.docket").path
        let jobs = 10_000
        // Filled before the children start, so that none of them schedules its own.
        let setup = try JobScheduler(path: path)
        for first in stride(from: 0, to: jobs, by: 1_000) {
            try await setup.schedule(
                (first..<first + 1_000).map { JobRequest(RecordJob(index: $0), options: JobOptions(queue: "narrow")) })
        }
        await setup.close()

        let arguments = ["--journal", path, "--concurrency", "1", "--queue-limit", "2", "--intervals", "--handler-ms", "1"]
        let runs = try await withThrowingTaskGroup(of: ChildLines.self) { group in
            for _ in 0..<3 { group.addTask { try await ChildLines.run(arguments) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for run in runs { #expect(run.status == 0, "a child failed: \(run.lines.suffix(5))") }

        let intervals = ChildLines.intervals(runs)
        #expect(intervals.count >= jobs)
        #expect(QueueLimitTests.maxOverlap(intervals) <= 2)
        // At least two processes ran jobs, so the two slots were shared between processes. (A third
        // may never get one: a process that ends a job claims the next in the same transaction.)
        #expect(runs.filter { run in run.lines.contains { $0.hasPrefix("end ") } }.count >= 2)

        let reader = try JobScheduler(path: path)
        #expect(try await reader.counts()[.completed] == jobs)
        await reader.close()
    }

    /// The same while the processes are killed with SIGKILL at random and started again: the dead
    /// one's running job counts against the limit until a peer rescues it, so the limit still holds;
    /// no job is lost, and every job that started more than once had started in a killed process.
    @Test func aLimitOfTwoHoldsWhileProcessesAreKilled() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("limit-kills.docket").path
        let jobs = 3_000
        let setup = try JobScheduler(path: path)
        for first in stride(from: 0, to: jobs, by: 1_000) {
            try await setup.schedule(
                (first..<first + 1_000).map {
                    JobRequest(RecordJob(index: $0), options: JobOptions(queue: "narrow", maxAttempts: 50))
                })
        }
        await setup.close()

        let arguments = ["--journal", path, "--concurrency", "1", "--queue-limit", "2", "--intervals", "--handler-ms", "1"]
        // Three slots; each runs a child, kills it at a seeded start line (three kills per slot), and
        // starts another, until a child ends by itself because the journal is done.
        let runs = try await withThrowingTaskGroup(of: [ChildLines].self) { group in
            for slot in 0..<3 {
                group.addTask {
                    var generator = SplitMixTestGenerator(seed: UInt64(slot) + 11)
                    var runs: [ChildLines] = []
                    for kill in 0... {
                        let run = try await ChildLines.run(
                            arguments, killAtStart: kill < 3 ? Int.random(in: 50...400, using: &generator) : nil)
                        runs.append(run)
                        if !run.killed { break }
                    }
                    return runs
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(runs.filter(\.killed).count >= 3)
        for run in runs where !run.killed { #expect(run.status == 0, "a child failed: \(run.lines.suffix(5))") }
        #expect(QueueLimitTests.maxOverlap(ChildLines.intervals(runs)) <= 2)

        // Every job ran to its end; one that started more than once had started in a process that
        // was killed (cut short, or ended but not yet journaled when the kill came).
        var ended = Set<Int>()
        var started: [Int: Int] = [:]
        var inKilledRuns = Set<Int>()
        for run in runs {
            for line in run.lines {
                let fields = line.split(separator: " ")
                guard fields.count == 3, let index = Int(fields[1]) else { continue }
                if fields[0] == "start" {
                    started[index, default: 0] += 1
                    if run.killed { inKilledRuns.insert(index) }
                }
                if fields[0] == "end" { ended.insert(index) }
            }
        }
        #expect(ended.count == jobs)
        for (index, count) in started where count > 1 {
            #expect(inKilledRuns.contains(index), "job \(index) started \(count) times, never in a killed process")
        }
        let reader = try JobScheduler(path: path)
        #expect(try await reader.counts()[.completed] == jobs)
        await reader.close()
    }
}

/// A child's exit status and its output lines, read on a thread of its own: reading blocks, and
/// the cooperative pool's threads are the tests' schedulers'.
struct ChildLines: Sendable {
    var status: Int32
    var lines: [String]
    /// Whether the parent killed it (SIGKILL at its `killAtStart`-th `start` line).
    var killed = false
    /// CLOCK_MONOTONIC nanoseconds just after the parent sent SIGKILL: none of its handlers runs
    /// after this. (Not the reaping, which a loaded machine may delay past a peer's rescue.)
    var killedAt: UInt64 = 0

    static func run(_ arguments: [String], killAtStart: Int? = nil) async throws -> ChildLines {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let child = Process()
                    child.executableURL = CrashChildProcess.executable
                    child.arguments = arguments
                    let pipe = Pipe()
                    child.standardOutput = pipe
                    try child.run()
                    var lines: [String] = []
                    var starts = 0
                    var killed = false
                    var killedAt: UInt64 = 0
                    forEachLine(in: pipe.fileHandleForReading) { line in
                        lines.append(line)
                        guard let killAtStart, !killed, line.hasPrefix("start ") else { return }
                        starts += 1
                        if starts == killAtStart {
                            kill(child.processIdentifier, SIGKILL)
                            killedAt = monotonicNow()
                            killed = true
                        }
                    }
                    child.waitUntilExit()
                    return ChildLines(status: child.terminationStatus, lines: lines, killed: killed, killedAt: killedAt)
                })
            }.start()
        }
    }

    static func monotonicNow() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The handler intervals of `runs` (start, end) on CLOCK_MONOTONIC; an attempt that a kill cut
    /// short ends at the kill.
    static func intervals(_ runs: [ChildLines]) -> [(start: Double, end: Double)] {
        var intervals: [(start: Double, end: Double)] = []
        for run in runs {
            var open: [Int: UInt64] = [:]
            for line in run.lines {
                let fields = line.split(separator: " ")
                guard fields.count == 3, let index = Int(fields[1]), let time = UInt64(fields[2]) else { continue }
                if fields[0] == "start" { open[index] = time }
                if fields[0] == "end", let start = open.removeValue(forKey: index) {
                    intervals.append((Double(start), Double(time)))
                }
            }
            intervals += open.values.map { (Double($0), Double(run.killedAt)) }
        }
        return intervals
    }
}
