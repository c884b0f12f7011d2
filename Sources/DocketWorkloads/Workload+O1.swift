import Docket
import DocketCore
import Foundation
import Synchronization

/// O1 (Docket's own, for issue 12): how soon a running scheduler acts on a change another
/// process made. A scheduler runs on the journal; a second one on the same file (its own SQLite
/// connections, as the `docket` tool opens them; it never runs) retries cancelled jobs one at a
/// time, and each latency is from the retry's commit to the handler's start in the running one.
enum OperatorWorkload {
    static func o1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .o1)
        let path = directory + "/o1.docket"
        let configuration = Harness.configuration(options, concurrency: 16)
        let open = try Harness.open(path: path, configuration)
        let scheduler = open.scheduler
        let started = StartTimes()
        try scheduler.register(BenchJob.jobName) { (context: JobContext) in started.record(context.id) }
        let operatorSide = try JobScheduler(path: path, configuration: configuration)
        var cancelled: [JobID] = []
        for index in 0..<count {
            let job = try await operatorSide.schedule(name: BenchJob.jobName, payload: BenchJob.payloadBytes(index: index), .after(.seconds(3600)))
            try await operatorSide.cancel(job.id)
            cancelled.append(job.id)
        }
        let ids = cancelled
        progress("O1: \(grouped(count)) cancelled jobs; retrying them one by one from a second scheduler")
        let clock = ContinuousClock()
        let latencies = try await Harness.whileRunning(scheduler) {
            try await scheduler.waitUntilRunning()
            let watcher = CompletionWatcher(scheduler, target: count, label: "O1")
            var latencies: [Double] = []
            for id in ids {
                try await operatorSide.retry(id)
                let committed = clock.now
                let start = try await started.wait(for: id)
                latencies.append((start - committed).seconds * 1000)
            }
            _ = try await watcher.wait()
            return latencies
        }
        await operatorSide.close()
        let counts = try await scheduler.counts()
        await Harness.close(open)
        let percentiles = Percentiles(milliseconds: latencies)
        var row = ResultRow(
            workload: "O1", jobs: count, seconds: latencies.reduce(0, +) / 1000, latencies: percentiles,
            rssMB: Memory.peakMB(), durability: options.durabilityName, concurrency: 16,
            notes: "retry of a cancelled job by a second scheduler on the same journal (not running, own connections) while one runs; latency = retry committed -> handler started (ms); change check every \(configuration.changeCheckInterval)")
        if counts[.completed] != count {
            row.violation = "O1: expected \(count) completed, journal has \(Harness.describe(counts))"
        }
        return row
    }
}

/// When each job's handler started, and a wait for one of them.
final class StartTimes: Sendable {
    private struct State {
        var started: [JobID: ContinuousClock.Instant] = [:]
        var waiter: (id: JobID, continuation: CheckedContinuation<ContinuousClock.Instant, Never>)?
    }

    // Guards the start times and the one waiter; handlers record from the scheduler's threads.
    private let state = Mutex(State())

    func record(_ id: JobID) {
        let now = ContinuousClock().now
        let waiter = state.withLock { state -> CheckedContinuation<ContinuousClock.Instant, Never>? in
            state.started[id] = now
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: now)
    }

    func wait(for id: JobID) async throws -> ContinuousClock.Instant {
        await withCheckedContinuation { continuation in
            let found = state.withLock { state -> ContinuousClock.Instant? in
                if let instant = state.started[id] { return instant }
                state.waiter = (id, continuation)
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }
}
