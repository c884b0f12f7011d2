// End to end through the public API: schedule → run → complete with `JobScheduler`.
//
// Each benchmark's setup opens a scheduler (on a journal file in a fresh temporary directory, or in
// memory), registers a no-op handler and starts `run()` in a task; its teardown cancels the task,
// closes the scheduler and deletes the directory. Default configuration otherwise (16 concurrent
// jobs, claims of 256).
//
// One iteration schedules 1,000 jobs due now and waits, on the scheduler's event stream, until all
// 1,000 have succeeded (the `.succeeded` event follows the journal's commit of the completion). The
// scaling factor is 1,000, so figures are per job: throughput is jobs/s, schedule to durable completion.
//
// - batch1000: the 1,000 jobs are scheduled with one `schedule([JobRequest])` call (one transaction).
// - single1000: one `schedule(name:)` call per job, awaited one after another, while the scheduler
//   already runs the first ones.
//
// Only `mallocCountTotal` has a threshold; times are reported, never asserted.

import Benchmark
import Docket
import Foundation
import Synchronization

/// A running scheduler, from a benchmark's setup to its teardown.
final class SchedulerFixture: Sendable {
    /// nil: in memory.
    let durability: Durability?
    private let state = Mutex<(scheduler: JobScheduler, run: Task<Void, any Error>, directory: URL?)?>(nil)

    static let jobName = "noop"

    init(durability: Durability?) {
        self.durability = durability
    }

    var label: String {
        switch durability {
        case .normal: "file-normal"
        case .full: "file-full"
        case nil: "memory"
        }
    }

    /// Opens a new journal, registers the no-op handler and starts running.
    func start() throws {
        var configuration = SchedulerConfiguration()
        let scheduler: JobScheduler
        var directory: URL?
        if let durability {
            configuration.durability = durability
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("docket-bench-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            directory = folder
            scheduler = try JobScheduler(path: folder.appendingPathComponent("bench.docket").path, configuration: configuration)
        } else {
            scheduler = try JobScheduler.inMemory(configuration: configuration)
        }
        try scheduler.register(Self.jobName) { _ in }
        let run = Task { try await scheduler.run() }
        state.withLock { $0 = (scheduler, run, directory) }
    }

    var scheduler: JobScheduler {
        state.withLock { $0!.scheduler }
    }

    /// Stops the run loop, closes the journal and deletes its directory.
    func stop() async {
        guard let (scheduler, run, directory) = state.withLock({ state in defer { state = nil }; return state }) else {
            return
        }
        run.cancel()
        _ = await run.result
        await scheduler.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Waits until `count` jobs have succeeded on `events`.
func waitForSuccesses(_ count: Int, on events: AsyncStream<SchedulerEvent>) async {
    var succeeded = 0
    for await event in events where event.kind == .succeeded {
        succeeded += 1
        if succeeded == count { return }
    }
    fatalError("the event stream ended after \(succeeded) of \(count) successes")
}

enum SchedulingStyle: String {
    /// One `schedule([JobRequest])` call for all the jobs.
    case batch = "batch1000"
    /// One `schedule(name:)` call per job.
    case single = "single1000"
}

func registerEndToEnd(_ style: SchedulingStyle, durability: Durability?) {
    let fixture = SchedulerFixture(durability: durability)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000,
        // Many tasks and threads take part and batching varies from run to run: a loose bound that
        // still catches an extra allocation or two per job.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(relative: [.p90: 15.0])]
    )
    Benchmark(
        "e2e.\(style.rawValue).\(fixture.label)", configuration: configuration,
        closure: { benchmark in
            let scheduler = fixture.scheduler
            let count = benchmark.scaledIterations.count
            // Subscribed before the first job is scheduled, so no success is missed.
            let events = scheduler.events()
            benchmark.startMeasurement()
            switch style {
            case .batch:
                let requests = Array(repeating: JobRequest(name: SchedulerFixture.jobName), count: count)
                try await scheduler.schedule(requests)
            case .single:
                for _ in 0..<count { try await scheduler.schedule(name: SchedulerFixture.jobName) }
            }
            await waitForSuccesses(count, on: events)
            benchmark.stopMeasurement()
        },
        setup: { try fixture.start() },
        teardown: { await fixture.stop() })
}

let benchmarks: @Sendable () -> Void = {
    registerEndToEnd(.batch, durability: .normal)
    registerEndToEnd(.single, durability: .normal)
    registerEndToEnd(.batch, durability: .full)
    registerEndToEnd(.batch, durability: nil)
}
