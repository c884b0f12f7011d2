import ArgumentParser
import Docket
import DocketCore
import DocketText
import Foundation

/// `docket tail [--all] [--interval S]`: follows what happens to a journal's jobs, from any process.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Follow what happens to the journal's jobs, until interrupted.",
        discussion: """
            Prints a line per change, oldest first: a job scheduled, an attempt started, an attempt retried, \
            snoozed, released or interrupted, a job completed, discarded or cancelled. With --json, one JSON \
            object per line. A job that starts and ends between two looks shows only its end. Reads only \
            what changed, from the journal's indexes, so following a large journal costs little.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "First print what the journal still holds (its jobs, each with its latest due time, and ended attempts), then follow.")
    var all = false

    @Option(help: "Seconds between two looks at the journal.")
    var interval: Double = 0.25

    @Option(help: .hidden)
    var iterations: Int?

    func validate() throws {
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number of seconds") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() async throws {
        let scheduler = try global.openForReading()
        let console = Console.current
        try await scheduler.closing { scheduler in
            var cursor: ActivityCursor? =
                all ? ActivityCursor(newestJob: JobID(0), attemptSequence: 0, ended: [:], running: [:]) : nil
            var looks = 0
            while true {
                let (entries, next) = try await scheduler.store.activity(after: cursor, limit: 1_000)
                for entry in entries {
                    if global.json { try console.jsonLine(ActivityJSON(entry)) } else { console.line(Self.line(entry)) }
                }
                cursor = next
                looks += 1
                if looks == iterations { return }
                // A full page reads on at once.
                if entries.count < 1_000 { try await Task.sleep(for: .seconds(interval)) }
            }
        }
    }

    /// `2026-03-08T07:00:00.250Z  job 42  send-email (default)  retried after attempt 1: timeout`.
    static func line(_ entry: ActivityEntry) -> String {
        let json = ActivityJSON(entry)
        var what = json.event
        switch entry.kind {
        case .scheduled(let runAt): what += ", due " + ISO8601.format(runAt.date)
        case .started: what += ", attempt \(entry.attempt)"
        case .attemptEnded, .ended(.discarded): what += " after attempt \(entry.attempt)"
        case .ended(.completed): what += " on attempt \(entry.attempt)"
        case .ended: break
        }
        if let error = entry.error { what += ": " + (error.count > 120 ? error.prefix(119) + "…" : error) }
        return "\(ISO8601.format(entry.at.date))  job \(entry.jobID)  \(entry.name) (\(entry.queue))  \(what)"
    }
}

/// One line of `docket tail --json`.
struct ActivityJSON: Encodable {
    var at: Date
    var event: String
    var job: Int64
    var name: String
    var queue: String
    var attempt: Int
    var runAt: Date?
    var error: String?

    init(_ entry: ActivityEntry) {
        at = entry.at.date
        job = entry.jobID.rawValue
        name = entry.name
        queue = entry.queue
        attempt = entry.attempt
        error = entry.error
        switch entry.kind {
        case .scheduled(let due):
            event = "scheduled"
            runAt = due.date
        case .started: event = "started"
        case .attemptEnded(let outcome): event = outcome.rawValue
        case .ended(let state): event = state.rawValue
        }
    }
}
