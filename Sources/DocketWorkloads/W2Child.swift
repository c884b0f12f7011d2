import Docket
import Foundation
import ProcessSupport

/// One of W2's several processes: this executable started again with `--w2-child JOURNAL`.
///
/// It opens a scheduler on the journal the parent filled, registers the no-op handler and prints
/// `ready`; on `go` (a line on its standard input) it runs, until `stop`, and then prints `cpu S`:
/// the CPU seconds (user + system, every thread) it used from `go` to `stop`. Progress and errors go
/// to its standard error.
enum W2Child {
    static func main(journal: String, options: Options) async -> Int32 {
        do {
            try await run(journal: journal, options: options)
            return 0
        } catch {
            progress("W2 child \(getpid()): \(error)")
            return 1
        }
    }

    private static func run(journal: String, options: Options) async throws {
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let scheduler = try JobScheduler(path: journal, configuration: Harness.configuration(options, concurrency: concurrency))
        try scheduler.register(BenchJob.jobName) { _ in }
        let commands = LineReader.standardInput()
        var lines = commands.makeAsyncIterator()
        printLine("ready")
        guard await lines.next() == "go" else { throw WorkloadError("the parent went away before go") }
        let cpuBefore = ProcessCPU.seconds()
        _ = try await Harness.whileRunning(scheduler) {
            var lines = commands.makeAsyncIterator()
            while let line = await lines.next(), line != "stop" {}
            return true
        }
        printLine("cpu \(ProcessCPU.seconds() - cpuBefore)")
        await scheduler.close()
    }
}

/// The lines of a file handle as an async sequence, read on a thread of their own: reading blocks,
/// and the cooperative pool's few threads are the schedulers'.
enum LineReader {
    static func standardInput() -> AsyncStream<String> { lines(of: FileHandle.standardInput) }

    static func lines(of handle: FileHandle) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let thread = Thread {
            forEachLine(in: handle) { continuation.yield($0) }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}
