// swift-tools-version:6.1
// Docket's micro-benchmarks: a separate package so that ordo-one/benchmark (and its malloc interposer)
// never becomes a dependency of the library. See ../BENCHMARKS.md, section "Micro-benchmarks".
import PackageDescription

let package = Package(
    name: "DocketBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "docket", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The timer index: TimerHeap (one binary heap) against TimerIndex (heap + lazy wheel).
        benchmarkTarget("TimerBenchmarks"),
        // The SQLite journal: insert, claim, complete, on a file (.normal / .full) and in memory.
        benchmarkTarget("JournalBenchmarks"),
        // schedule → run → complete through JobScheduler.
        benchmarkTarget("SchedulerBenchmarks"),
    ],
    swiftLanguageModes: [.v6]
)

/// An ordo-one benchmark executable: sources in Benchmarks/<name>/, boilerplate from BenchmarkPlugin.
func benchmarkTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: "Docket", package: "docket"),
        ],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
