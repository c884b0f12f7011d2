// The scheduler's timer: `TimerHeap` (one indexed binary heap, the baseline) against `TimerIndex` (a
// lazy timing wheel: 1 s buckets, only the earliest bucket kept as a heap).
//
// Every benchmark works on a whole population of n timers (n = 1,000 or 1,000,000) and its scaling
// factor is n, so each reported figure is per operation:
//
// - insert: fill an empty timer with n entries (ids in journal order, seeded random deadlines).
// - cancel: remove all n entries of a full timer by id, in a seeded random order.
// - popMin: drain a full timer, earliest first.
//
// Building the full timer for cancel and popMin happens before `startMeasurement()`, so it is not
// counted. Deadlines come from `SplitMix64` and are spread uniformly over 30 days ("30d": jobs
// scheduled hours or days ahead) or over 5 seconds ("5s": a burst of jobs due almost at once).
//
// Names are `operation.structure.size.shape`, e.g. `popMin.wheel.1M.30d` (dots, never spaces: see
// ../../README.md). Only `mallocCountTotal` has a threshold; times are reported, never asserted.

import Benchmark
import DocketCore

/// How the deadlines of a population are spread after the origin.
enum DeadlineShape: String, CaseIterable {
    /// Uniformly over 30 days.
    case thirtyDays = "30d"
    /// Uniformly over 5 seconds.
    case fiveSeconds = "5s"

    var spanMicroseconds: Int64 {
        switch self {
        case .thirtyDays: 30 * 86_400 * 1_000_000
        case .fiveSeconds: 5 * 1_000_000
        }
    }

    var seed: UInt64 {
        switch self {
        case .thirtyDays: 0x3064
        case .fiveSeconds: 0x0573
        }
    }
}

/// A population size, with the scaling factor that makes the figures per operation.
struct PopulationSize {
    var count: Int
    var label: String
    var scalingFactor: BenchmarkScalingFactor
    var warmupIterations: Int
    var maxIterations: Int
    var maxDuration: Duration

    static var thousand: PopulationSize {
        PopulationSize(
            count: 1_000, label: "1k", scalingFactor: .kilo, warmupIterations: 1, maxIterations: 1_000,
            maxDuration: .seconds(1))
    }
    /// Few iterations and no warmup: each iteration builds and tears down a million-entry timer, and
    /// takes seconds (a heap's popMin drain alone takes about 4 s here).
    static var million: PopulationSize {
        PopulationSize(
            count: 1_000_000, label: "1M", scalingFactor: .mega, warmupIterations: 0, maxIterations: 3,
            maxDuration: .seconds(10))
    }
}

/// The timers of one benchmark: what to insert, and the order to cancel in.
struct Population {
    /// Ids 1...n in order (the journal assigns increasing ids), each with a random deadline.
    var entries: [TimerEntry]
    /// A seeded shuffle of the ids.
    var cancelOrder: [JobID]

    init(count: Int, shape: DeadlineShape) {
        var generator = SplitMix64(seed: shape.seed &* 1_000_003 &+ UInt64(count))
        // 2026-01-01T00:00:00Z.
        let origin: Int64 = 1_767_225_600_000_000
        let span = UInt64(shape.spanMicroseconds)
        entries = (1...count).map { id in
            let offset = Int64(generator.next(upperBound: span))
            return TimerEntry(
                id: JobID(Int64(id)), deadline: Timestamp(microsecondsSinceEpoch: origin + offset),
                priority: JobDefaults.priority)
        }
        cancelOrder = entries.map(\.id)
        cancelOrder.shuffle(using: &generator)
    }
}

/// Metrics and thresholds of every timer benchmark.
func timerConfiguration(_ size: PopulationSize) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: size.warmupIterations,
        scalingFactor: size.scalingFactor,
        maxDuration: size.maxDuration,
        maxIterations: size.maxIterations,
        // Single-threaded and seeded: the count is exact, so only a sliver of slack (the benchmark
        // harness's own threads may allocate now and then).
        thresholds: [.mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 16 + size.count / 1_000])]
    )
}

/// A timer filled with `entries`, built outside the measurement.
func filled<Queue: TimerQueue>(_ make: () -> Queue, _ entries: [TimerEntry]) -> Queue {
    var queue = make()
    for entry in entries { queue.insert(entry) }
    return queue
}

/// Registers insert, cancel and popMin for one timer structure at every size and shape.
func registerTimerBenchmarks<Queue: TimerQueue>(_ structure: String, _ make: @escaping () -> Queue) {
    for size in [PopulationSize.thousand, .million] {
        for shape in DeadlineShape.allCases {
            let suffix = "\(structure).\(size.label).\(shape.rawValue)"
            let configuration = timerConfiguration(size)
            let count = size.count

            Benchmark("insert.\(suffix)", configuration: configuration) { benchmark, population in
                var queue = make()
                benchmark.startMeasurement()
                for entry in population.entries { queue.insert(entry) }
                benchmark.stopMeasurement()
                precondition(queue.count == count)
            } setup: {
                Population(count: count, shape: shape)
            }

            Benchmark("cancel.\(suffix)", configuration: configuration) { benchmark, population in
                var queue = filled(make, population.entries)
                benchmark.startMeasurement()
                for id in population.cancelOrder { queue.remove(id) }
                benchmark.stopMeasurement()
                precondition(queue.isEmpty)
            } setup: {
                Population(count: count, shape: shape)
            }

            Benchmark("popMin.\(suffix)", configuration: configuration) { benchmark, population in
                var queue = filled(make, population.entries)
                var popped = 0
                benchmark.startMeasurement()
                while let entry = queue.popMin() {
                    blackHole(entry)
                    popped += 1
                }
                benchmark.stopMeasurement()
                precondition(popped == count)
            } setup: {
                Population(count: count, shape: shape)
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    registerTimerBenchmarks("heap") { TimerHeap() }
    registerTimerBenchmarks("wheel") { TimerIndex() }
}
