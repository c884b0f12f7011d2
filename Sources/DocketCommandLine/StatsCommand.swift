import ArgumentParser
import Docket
import DocketCore
import DocketText
import Foundation

/// `docket stats [--watch]`: jobs per state (overall, per queue and per name), the oldest due job's
/// lateness, and schedules per status.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count the journal's jobs by state (per queue and per name too) and its schedules by status.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print again every --interval seconds until interrupted.")
    var watch = false

    @Option(help: "Seconds between two prints with --watch.")
    var interval: Double = 2

    @Option(help: .hidden)
    var iterations: Int?

    struct Report: Encodable {
        var journal: String
        var at: Date
        var jobs: [String: Int]
        /// Per queue and per name, each as `jobs` is.
        var queues: [String: [String: Int]]
        var names: [String: [String: Int]]
        /// How long ago the scheduled job due first was due; nil when none is due.
        var oldestDueLatenessSeconds: Double?
        var schedules: [String: Int]
    }

    func validate() throws {
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number of seconds") }
    }

    func run() async throws {
        let path = try global.journalPath()
        let scheduler = try global.openForReading()
        try await scheduler.closing { scheduler in
            var printed = 0
            while true {
                try await print(report(scheduler, path: path))
                printed += 1
                if !watch || printed == iterations { return }
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }

    private func report(_ scheduler: JobScheduler, path: String) async throws -> Report {
        let breakdown = try await scheduler.countBreakdown()
        let lateness = try await scheduler.oldestDueLateness()
        var schedules = ["active": 0, "paused": 0, "removed": 0]
        var after: String?
        while true {
            let page = try await scheduler.schedules(after: after, limit: 500)
            for schedule in page { schedules[ScheduleJSON.status(schedule), default: 0] += 1 }
            guard let last = page.last else { break }
            after = last.name
        }
        return Report(
            journal: path, at: Date(), jobs: Self.byState(breakdown.total), queues: breakdown.byQueue.mapValues(Self.byState),
            names: breakdown.byName.mapValues(Self.byState),
            oldestDueLatenessSeconds: lateness.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 },
            schedules: schedules)
    }

    /// Counts by state name, with the total.
    private static func byState(_ counts: JobCounts) -> [String: Int] {
        var jobs = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, counts[$0]) })
        jobs["total"] = counts.total
        return jobs
    }

    private func print(_ report: Report) throws {
        let console = Console.current
        if global.json { return try console.json(report) }
        let states = JobState.allCases.map(\.rawValue)
        let jobs = states.map { "\($0) \(report.jobs[$0] ?? 0)" }.joined(separator: ", ")
        let schedules = ["active", "paused", "removed"].map { "\($0) \(report.schedules[$0] ?? 0)" }.joined(separator: ", ")
        let due = report.oldestDueLatenessSeconds.map { "oldest due job is \(Int($0.rounded(.down))) s late" } ?? "no job due"
        console.fields([
            ("journal", "\(report.journal) at \(ISO8601.format(report.at))"),
            ("jobs", "\(jobs) (total \(report.jobs["total"] ?? 0))"),
            ("due", due),
            ("schedules", schedules),
        ])
        for (title, counts) in [("QUEUE", report.queues), ("NAME", report.names)] where !counts.isEmpty {
            console.line()
            console.table(
                [title] + states.map { $0.uppercased() } + ["TOTAL"],
                counts.keys.sorted().map { key in
                    [key] + (states + ["total"]).map { "\(counts[key]?[$0] ?? 0)" }
                })
        }
    }
}
