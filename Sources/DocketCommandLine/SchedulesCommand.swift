import ArgumentParser
import Docket
import DocketText
import Foundation

/// `docket schedules list|show|pause|resume|trigger`.
struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules", abstract: "List, show and act on the journal's schedules.",
        subcommands: [
            SchedulesListCommand.self, SchedulesShowCommand.self, SchedulesPauseCommand.self, SchedulesResumeCommand.self,
            SchedulesTriggerCommand.self,
        ])
}

/// `docket schedules list [--after NAME] [--limit N]`.
struct SchedulesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List schedules by name.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Start after this name (the previous page's `next`).") var after: String?
    @Option(help: "The most schedules to print (1-10000).") var limit = 100

    struct Page: Encodable {
        var schedules: [ScheduleJSON]
        var next: String?
    }

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000, not \(limit)") }
    }

    func run() async throws {
        let scheduler = try global.openForReading()
        let page = try await scheduler.closing { try await $0.schedules(after: after, limit: limit + 1) }
        let shown = Array(page.prefix(limit))
        let next = page.count > limit ? shown.last?.name : nil
        let console = Console.current
        if global.json { return try console.json(Page(schedules: shown.map { ScheduleJSON($0) }, next: next)) }
        console.table(
            ["NAME", "RULE", "ZONE", "STATUS", "NEXT FIRING", "LAST FIRING", "FIRED", "MISSED", "SKIPPED"],
            shown.map { schedule in
                [
                    schedule.name, schedule.recurrence.text, schedule.recurrence.timeZone ?? "UTC", ScheduleJSON.status(schedule),
                    ISO8601.format(schedule.nextFiring), ISO8601.format(schedule.lastFiring), "\(schedule.fired)",
                    "\(schedule.missed)", "\(schedule.skipped)",
                ]
            })
        if let next { console.line("more: --after \(next)") }
    }
}

/// `docket schedules show NAME [--upcoming N]`.
struct SchedulesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one schedule and its next firings.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The schedule's name.") var name: String
    @Option(help: "How many upcoming firings to show (0-1000).") var upcoming = 5

    func validate() throws {
        guard (0...1_000).contains(upcoming) else { throw ValidationError("--upcoming must be between 0 and 1000") }
    }

    func run() async throws {
        let scheduler = try global.openForReading()
        let (schedule, firings) = try await scheduler.closing { scheduler -> (ScheduleInfo?, [Date]) in
            guard let schedule = try await scheduler.schedule(named: name) else { return (nil, []) }
            let firings = upcoming > 0 && !schedule.isPaused && schedule.removedAt == nil
                ? try await scheduler.previewSchedule(named: name, count: upcoming) : []
            return (schedule, firings)
        }
        guard let schedule else { throw ToolFailure.failure("no schedule named \(name) in the journal") }
        let console = Console.current
        if global.json { return try console.json(ScheduleJSON(schedule, upcoming: firings)) }
        var fields: [(String, String)] = [
            ("name", schedule.name), ("rule", schedule.recurrence.description), ("job", "\(schedule.jobName) in queue \(schedule.queue)"),
            ("status", ScheduleJSON.status(schedule)), ("origin", schedule.origin == .declared ? "declared in code" : "created"),
            ("overlap", "\(schedule.overlap)"), ("catch-up", "\(schedule.catchUp)"),
            ("next firing", ISO8601.format(schedule.nextFiring)), ("last firing", ISO8601.format(schedule.lastFiring)),
            ("last job", schedule.lastJobID.map { "\($0)" } ?? "-"),
            ("fired", "\(schedule.fired)"), ("missed", "\(schedule.missed)"), ("skipped", "\(schedule.skipped)"),
        ]
        if let held = schedule.heldFiring { fields.append(("held firing", ISO8601.format(held))) }
        if let note = schedule.pauseNote { fields.append(("pause note", note)) }
        if let removed = schedule.removedAt { fields.append(("removed at", ISO8601.format(removed))) }
        console.fields(fields)
        if !firings.isEmpty {
            console.line()
            console.line("upcoming:")
            firings.forEach { console.line("  " + ISO8601.format($0)) }
        }
    }
}
