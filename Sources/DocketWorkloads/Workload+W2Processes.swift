import Docket
import Foundation

/// W2 with several processes on one journal (`--processes N`): the parent schedules N due-now
/// jobs, starts N children (``W2Child``), each a scheduler of the journal with the concurrency
/// given, and the clock runs from its `go` to all of them until the journal holds every job
/// completed, which the parent reads every 5 ms.
///
/// One process in this mode (`--processes 1`) is the row to compare with: the same children, the
/// same poll, one scheduler.
enum ProcessesDrainWorkload {
    static let pollInterval: Duration = .milliseconds(5)
    static let childTimeout: Duration = .seconds(600)

    static func w2(_ options: Options, processes: Int, concurrency: Int, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w2)
        let label = "W2 c=\(concurrency) processes=\(processes)"
        let path = directory + "/w2.docket"
        let setup = try Harness.open(path: path, Harness.configuration(options, concurrency: concurrency))
        progress("\(label): enqueueing \(grouped(count)) due-now jobs")
        try await Harness.enqueue(setup.scheduler, count: count) { _ in .now }
        await setup.scheduler.close()

        var arguments = ["--w2-child", path, "--jobs", String(count), "--durability", options.durabilityName]
        arguments += ["--concurrency", String(concurrency), "--seed", String(options.seed)]
        let children = try (0..<processes).map { _ in try Child(arguments) }
        defer { for child in children where child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) } }
        for child in children { try await child.expect("ready") }

        let reader = try JobScheduler(path: path)
        let clock = ContinuousClock()
        let start = clock.now
        for child in children { child.send("go") }
        var counts = try await reader.counts()
        var lastProgress = (terminal: Harness.terminal(counts), at: start)
        while Harness.terminal(counts) < count {
            try await Task.sleep(for: pollInterval)
            counts = try await reader.counts()
            let terminal = Harness.terminal(counts)
            if terminal != lastProgress.terminal {
                lastProgress = (terminal, clock.now)
            } else if clock.now - lastProgress.at > CompletionWatcher.stallLimit {
                throw WorkloadError("\(label): no progress for \(CompletionWatcher.stallLimit); journal: \(Harness.describe(counts))")
            }
            for child in children where !child.process.isRunning {
                throw WorkloadError("\(label): a child exited (status \(child.process.terminationStatus)) before the drain ended")
            }
        }
        let elapsed = clock.now - start
        await reader.close()

        var cpuSeconds = 0.0
        for child in children {
            child.send("stop")
            let line = try await child.expect("cpu ")
            cpuSeconds += Double(line.dropFirst(4)) ?? 0
            try await child.waitForExit(within: childTimeout)
        }
        let cpuMicrosPerJob = cpuSeconds * 1e6 / Double(max(count, 1))
        let notes = "\(processes) processes on one journal, each a scheduler with maxConcurrentJobs \(concurrency) "
            + "(concurrency is per process); enqueued before start by the parent with the batch API; no-op handler "
            + "registered by name; clock from the parent's go to the journal holding every job completed (read every "
            + "\(Int(pollInterval.milliseconds)) ms); CPU \(fixed(cpuMicrosPerJob)) µs per job (all children, user + system); "
            + "rss_mb is the parent's"
        var row = ResultRow(
            workload: "W2", jobs: count, seconds: elapsed.seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency, notes: notes)
        if counts[.completed] != count {
            row.violation = "\(label): expected \(count) completed jobs, journal has \(Harness.describe(counts))"
        }
        return row
    }

    /// A child process and its pipes.
    final class Child: Sendable {
        let process: Process
        private let input: FileHandle
        private let lines: AsyncStream<String>

        init(_ arguments: [String]) throws {
            process = Process()
            // /proc/self/exe names this very binary even if it was started through a relative path or a symlink.
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let stdin = Pipe()
            let stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.standardError
            try process.run()
            input = stdin.fileHandleForWriting
            lines = LineReader.lines(of: stdout.fileHandleForReading)
        }

        func send(_ line: String) {
            writeAll(line + "\n", to: input.fileDescriptor)
        }

        /// The child's next output line, which must start with `prefix`.
        @discardableResult
        func expect(_ prefix: String) async throws -> String {
            var iterator = lines.makeAsyncIterator()
            guard let line = await iterator.next() else {
                throw WorkloadError("a W2 child ended its output before '\(prefix)'")
            }
            guard line.hasPrefix(prefix) else { throw WorkloadError("a W2 child printed '\(line)', not '\(prefix)…'") }
            return line
        }

        func waitForExit(within limit: Duration) async throws {
            let clock = ContinuousClock()
            let deadline = clock.now + limit
            while process.isRunning {
                if clock.now > deadline { throw WorkloadError("a W2 child did not exit within \(limit)") }
                try await Task.sleep(for: .milliseconds(2))
            }
            guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                throw WorkloadError("a W2 child failed (status \(process.terminationStatus))")
            }
        }
    }
}
