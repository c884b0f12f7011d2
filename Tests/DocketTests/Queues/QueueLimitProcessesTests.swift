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

        var starts: [Int: UInt64] = [:]
        var intervals: [(start: Double, end: Double)] = []
        for run in runs {
            for line in run.lines {
                let fields = line.split(separator: " ")
                guard fields.count == 3, let index = Int(fields[1]), let time = UInt64(fields[2]) else { continue }
                if fields[0] == "start" { starts[index] = time }
                if fields[0] == "end", let start = starts.removeValue(forKey: index) {
                    intervals.append((Double(start), Double(time)))
                }
            }
        }
        #expect(intervals.count >= jobs)
        #expect(QueueLimitTests.maxOverlap(intervals) <= 2)
        // At least two processes ran jobs, so the two slots were shared between processes. (A third
        // may never get one: a process that ends a job claims the next in the same transaction.)
        #expect(runs.filter { run in run.lines.contains { $0.hasPrefix("end ") } }.count >= 2)

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

    static func run(_ arguments: [String]) async throws -> ChildLines {
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
                    forEachLine(in: pipe.fileHandleForReading) { lines.append($0) }
                    child.waitUntilExit()
                    return ChildLines(status: child.terminationStatus, lines: lines)
                })
            }.start()
        }
    }
}
