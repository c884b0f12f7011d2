// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "docket",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Docket", targets: ["Docket"]),
        .library(name: "DocketTesting", targets: ["DocketTesting"]),
        // The web dashboard, apart from `Docket` so that users of the library alone never build Hummingbird.
        .library(name: "DocketDashboard", targets: ["DocketDashboard"]),
        .executable(name: "docket", targets: ["DocketTool"]),
        .executable(name: "docket-demo", targets: ["DocketDemo"]),
        .executable(name: "docket-workloads", targets: ["DocketWorkloads"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // Scheduling core: job model, lifecycle state machine, retry policies, timer index and the
        // storage protocol. Pure Swift: no SQLite, no Foundation, no I/O.
        .target(
            name: "DocketCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")]
        ),
        // The one lock of the package: a value and a pthread mutex in one allocation, visible to the
        // thread sanitizer. Kept apart from DocketCore, which has no platform code.
        .target(name: "DocketLocking"),
        // Line-oriented output and pipe reading for the demo, the crash children and the tests that
        // drive them; not part of the library.
        .target(name: "ProcessSupport"),
        // The SQLite journal, the default implementation of the core's `JobStore`.
        .target(name: "DocketSQLite", dependencies: ["DocketCore", "DocketLocking", "CSQLite"]),
        // The public API: the scheduler, registration, configuration, errors.
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
            ]
        ),
        // Helpers users import to test their own jobs: a manual clock and friends.
        .target(name: "DocketTesting", dependencies: ["Docket", "DocketCore"]),
        .executableTarget(name: "DocketDemo", dependencies: ["Docket", "ProcessSupport"]),
        // Instants as the tool and the dashboard print and read them.
        .target(name: "DocketText"),
        // The web dashboard: pages and actions on a journal, as routes a Hummingbird router mounts.
        .target(
            name: "DocketDashboard",
            dependencies: [
                "Docket", "DocketCore", "DocketLocking", "DocketText", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The `docket` tool: its commands live in a library target so that tests run them in-process.
        .target(
            name: "DocketCommandLine",
            dependencies: [
                "Docket", "DocketCore", "DocketSQLite", "DocketLocking", "DocketDashboard", "DocketText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(name: "DocketTool", dependencies: ["DocketCommandLine"]),
        // A child process that crash tests kill with SIGKILL.
        .executableTarget(name: "DocketCrashChild", dependencies: ["Docket", "ProcessSupport"]),
        // The workload runner of BENCHMARKS.md's workloads, with their sqlite-baseline rows.
        .executableTarget(
            name: "DocketWorkloads",
            dependencies: [
                "Docket", "DocketCore", "DocketSQLite", "CSQLite", "DocketDashboard", "ProcessSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        // The crash-torture child: a seeded mix of jobs that a parent kills at random moments.
        .executableTarget(
            name: "DocketTorture",
            dependencies: [
                "Docket", "DocketCore", "DocketSQLite", "ProcessSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "DocketLockingTests", dependencies: ["DocketLocking"]),
        .testTarget(name: "DocketCoreTests", dependencies: ["DocketCore"]),
        .testTarget(
            name: "DocketCommandLineTests",
            dependencies: ["DocketCommandLine", "Docket", "DocketCore", "DocketSQLite", "DocketTesting", "DocketText"]
        ),
        .testTarget(name: "DocketSQLiteTests", dependencies: ["DocketSQLite", "DocketCore"]),
        // Route tests in-process, and a real headless Chromium driven over its DevTools protocol.
        .testTarget(
            name: "DocketDashboardTests",
            dependencies: [
                "DocketDashboard", "Docket", "DocketCore", "DocketLocking", "DocketSQLite", "DocketTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "DocketReliabilityTests",
            dependencies: [
                "Docket", "DocketCore", "DocketSQLite", "DocketTesting", "DocketTorture", "ProcessSupport", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DocketTests",
            dependencies: [
                "Docket", "DocketCore", "DocketSQLite", "DocketTesting", "DocketCrashChild", "ProcessSupport",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
