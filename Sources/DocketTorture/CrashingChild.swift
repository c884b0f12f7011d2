import Docket
import Foundation
import ProcessSupport

/// The `crash` mode: a handler that kills its own process on every attempt. When the journal is
/// empty it schedules one such job with `maxAttempts`; it runs the journal and exits 0 printing `done`
/// once nothing is scheduled or running, which crash recovery must reach by discarding the job.
enum CrashingChild {
    static let jobName = "crash-every-time"

    static func run(journal: String, maxAttempts: Int) async throws -> Int32 {
        var configuration = SchedulerConfiguration()
        configuration.pollInterval = .milliseconds(50)
        configuration.defaultRetryPolicy = .strategy(.fixed(.milliseconds(1)))
        let scheduler = try JobScheduler(path: journal, configuration: configuration)
        try scheduler.register(jobName) { context in
            printLine("phase:start attempt \(context.attempt)")
            kill(getpid(), SIGKILL)
        }
        if try await scheduler.counts().total == 0 {
            try await scheduler.schedule(name: jobName, options: JobOptions(maxAttempts: maxAttempts))
            printLine("scheduled")
        }
        return try await runUntilIdle(scheduler)
    }

    /// Runs `scheduler` until nothing is scheduled or running, then stops it and prints `done`.
    static func runUntilIdle(_ scheduler: JobScheduler) async throws -> Int32 {
        let events = scheduler.events()
        let runner = Task { try await scheduler.run() }
        func idle() async throws -> Bool {
            let counts = try await scheduler.counts()
            return counts.scheduled + counts.running == 0
        }
        if try await !idle() {
            for await _ in events where try await idle() { break }
        }
        runner.cancel()
        try await runner.value
        await scheduler.close()
        printLine("done")
        return 0
    }
}

/// The `writer` mode: schedules `count` jobs one transaction each (durability full), printing
/// `committed I` as each `schedule` returns. A parent kills it mid-way to leave a -wal file behind.
enum WriterChild {
    static func run(journal: String, first: Int, count: Int) async throws -> Int32 {
        let scheduler = try JobScheduler(path: journal)
        for index in first..<(first + count) {
            try await scheduler.schedule(name: "written", payload: Array("\(index)".utf8), .after(.seconds(3600)))
            printLine("committed \(index)")
        }
        await scheduler.close()
        printLine("done")
        return 0
    }
}
