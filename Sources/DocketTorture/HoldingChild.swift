import Docket
import Foundation
import Logging
import ProcessSupport

/// The `hold` mode: runs the journal (scheduling nothing) with a handler for ``jobName`` that prints
/// `hold:started ID ATTEMPT`, waits until the file `--release` exists, prints `hold:finished ID
/// ATTEMPT` and returns. Its log records are printed as `log: LEVEL MESSAGE` lines. It runs until
/// it is killed: the parent kills or stops it while a handler holds, to see another runner rescue
/// the job, and lets a stopped one go on to see what it does with an attempt it lost.
///
/// `--lease-ms` sets its ``SchedulerConfiguration/runnerLease`` (none when 0); `--poll-ms` its poll
/// interval, 50 ms by default.
enum HoldingChild {
    static let jobName = "torture.hold"

    static func run(journal: String, release: String, leaseMilliseconds: Int?, pollMilliseconds: Int?) async throws -> Int32 {
        var configuration = SchedulerConfiguration()
        configuration.pollInterval = .milliseconds(pollMilliseconds ?? 50)
        if let lease = leaseMilliseconds { configuration.runnerLease = lease > 0 ? .milliseconds(lease) : nil }
        configuration.defaultRetryPolicy = .strategy(.fixed(.milliseconds(1)))
        var logger = Logger(label: "docket", factory: { _ in LineLogHandler() })
        logger.logLevel = .info
        configuration.logger = logger
        let scheduler = try JobScheduler(path: journal, configuration: configuration)
        try scheduler.register(jobName) { context in
            printLine("hold:started \(context.id) \(context.attempt)")
            // Cancellation does not end the hold: the parent decides when the handler returns.
            while !FileManager.default.fileExists(atPath: release) {
                try? await Task.sleep(for: .milliseconds(5))
            }
            printLine("hold:finished \(context.id) \(context.attempt)")
        }
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        printLine("hold:running")
        try await runner.value
        return 0
    }
}

/// Prints each log record as one line on standard output, for the parent to read.
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        printLine("log: \(event.level) \(event.message)")
    }
}
