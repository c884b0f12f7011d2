// swift-tools-version:6.1
// Docket's micro-benchmarks: a separate package so that ordo-one/benchmark (and its malloc interposer)
// never becomes a dependency of the library. See ../BENCHMARKS.md, section "Micro-benchmarks".
//
// The benchmarks measure engine types (TimerIndex, SQLiteJournal, ...) that the library declares
// `package`, and `package` access does not cross packages. So this package does not depend on the
// library: it builds the library's own sources as targets of its own. Engine/<Module> are symlinks to
// ../Sources/<Module>; the targets below mirror those of ../Package.swift (keep them in step), and the
// benchmarks import the modules they measure (DocketCore, DocketSQLite, Docket) as Docket's own
// targets do. Nothing of the engine becomes public API.
import PackageDescription

let package = Package(
    name: "DocketBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        // The library's own dependencies, as ../Package.swift declares them.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // The library's modules, from ../Sources through the Engine/ symlinks.
        .systemLibrary(
            name: "CSQLite",
            path: "Engine/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(
            name: "DocketCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")],
            path: "Engine/DocketCore"
        ),
        .target(name: "DocketLocking", path: "Engine/DocketLocking"),
        .target(name: "DocketSQLite", dependencies: ["DocketCore", "DocketLocking", "CSQLite"], path: "Engine/DocketSQLite"),
        .target(
            name: "Docket",
            dependencies: [
                "DocketCore",
                "DocketLocking",
                "DocketSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Engine/Docket"
        ),

        // The timer index: TimerHeap (one binary heap) against TimerIndex (heap + lazy wheel).
        benchmarkTarget("TimerBenchmarks", engine: ["DocketCore"]),
        // The SQLite journal: insert, claim, complete, on a file (.normal / .full) and in memory.
        benchmarkTarget("JournalBenchmarks", engine: ["DocketCore", "DocketSQLite"]),
        // schedule → run → complete through JobScheduler (public API only).
        benchmarkTarget("SchedulerBenchmarks", engine: ["Docket"]),
        // Recurring schedules: the next firing of a cron expression or an RFC 5545 rule, and parsing.
        benchmarkTarget("RecurrenceBenchmarks", engine: ["DocketCore", "Docket"]),
    ],
    swiftLanguageModes: [.v6]
)

/// An ordo-one benchmark executable: sources in Benchmarks/<name>/, boilerplate from BenchmarkPlugin.
func benchmarkTarget(_ name: String, engine: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + engine,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
