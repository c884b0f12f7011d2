import ArgumentParser
import Docket
import DocketText
import Foundation

/// `docket queues [list]|pause|resume`.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues", abstract: "List the journal's queues (declared, paused, or holding jobs), and pause or resume one.",
        subcommands: [QueuesListCommand.self, QueuesPauseCommand.self, QueuesResumeCommand.self],
        defaultSubcommand: QueuesListCommand.self)
}

/// `docket queues list`: every queue the journal knows (declared, paused, or holding jobs), with
/// its limits, pause and jobs.
struct QueuesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the queues the journal knows: limits, running and scheduled jobs, pause.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let scheduler = try global.openForReading()
        let queues = try await scheduler.closing { try await $0.queues() }
        let console = Console.current
        if global.json { return try console.json(queues.map(QueueJSON.init)) }
        guard !queues.isEmpty else { return console.line("no queues: the journal has no jobs and declares no queue") }
        console.table(
            ["QUEUE", "LIMIT", "RATE", "RUNNING", "SCHEDULED", "STATUS", "NOTE"],
            queues.map { queue in
                [
                    queue.name, queue.maxConcurrentJobs.map(String.init) ?? "-", QueueJSON.rateText(queue.rateLimit) ?? "-",
                    "\(queue.running)", "\(queue.scheduled)", QueueJSON.status(queue), queue.pauseNote ?? "",
                ]
            })
    }
}

/// `docket queues pause NAME [--note TEXT]`.
struct QueuesPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a queue: its jobs are kept and none starts, across restarts, until it is resumed.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The queue's name.") var name: String
    @Option(help: "Why, for whoever looks next.") var note: String?

    func run() async throws {
        try await changeQueue("paused", global) { try await $0.pauseQueue(name, note: note) }
    }
}

/// `docket queues resume NAME`.
struct QueuesResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused queue; its due jobs start within its limits.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The queue's name.") var name: String

    func run() async throws {
        try await changeQueue("resumed", global) { try await $0.resumeQueue(name) }
    }
}

/// Opens the journal for changes, changes a queue with `change`, and prints the queue after it: one
/// line saying `verb`, or the queue as JSON.
private func changeQueue(
    _ verb: String, _ global: GlobalOptions, _ change: (JobScheduler) async throws -> QueueInfo
) async throws {
    let queue = try await global.openForChanges().closing(change)
    let console = Console.current
    if global.json { return try console.json(QueueJSON(queue)) }
    console.line("\(verb) \(queue.name): \(queue.running) running, \(queue.scheduled) scheduled")
}

/// A queue in `--json` output.
struct QueueJSON: Encodable {
    var name: String
    var declared: Bool
    var maxConcurrentJobs: Int?
    var rateLimitStarts: Int?
    var rateLimitPeriodSeconds: Double?
    var paused: Bool
    var pauseNote: String?
    var pausedAt: String?
    var running: Int
    var scheduled: Int

    init(_ queue: QueueInfo) {
        name = queue.name
        declared = queue.isDeclared
        maxConcurrentJobs = queue.maxConcurrentJobs
        rateLimitStarts = queue.rateLimit?.starts
        rateLimitPeriodSeconds = queue.rateLimit.map { Double($0.period.components.seconds) + Double($0.period.components.attoseconds) / 1e18 }
        paused = queue.isPaused
        pauseNote = queue.pauseNote
        pausedAt = queue.pausedAt.map(ISO8601.format)
        running = queue.running
        scheduled = queue.scheduled
    }

    /// "paused since …", "active", or "not declared".
    static func status(_ queue: QueueInfo) -> String {
        if queue.isPaused { return "paused since " + ISO8601.format(queue.pausedAt) }
        return queue.isDeclared ? "active" : "not declared"
    }

    /// "100 per 60s", or nil without a rate limit.
    static func rateText(_ rate: JobQueue.RateLimit?) -> String? {
        rate.map { "\($0.starts) per \($0.period)" }
    }
}
