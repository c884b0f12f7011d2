import ArgumentParser
import Docket
import DocketText
import Foundation

/// `docket schedules pause NAME [--note TEXT]`.
struct SchedulesPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a schedule; it stays paused across restarts until resumed.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The schedule's name.") var name: String
    @Option(help: "Why, for whoever looks next.") var note: String?

    func run() async throws {
        let scheduler = try global.openForChanges()
        let schedule = try await scheduler.closing { try await $0.pauseSchedule(named: name, note: note) }
        try report(schedule, "paused", global)
    }
}

/// `docket schedules resume NAME`.
struct SchedulesResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused schedule; its next firing is counted from now.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The schedule's name.") var name: String

    func run() async throws {
        let scheduler = try global.openForChanges()
        let schedule = try await scheduler.closing { try await $0.resumeSchedule(named: name) }
        try report(schedule, "resumed", global)
    }
}

/// `docket schedules trigger NAME`.
struct SchedulesTriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger", abstract: "Fire a schedule once now, without moving its next firing.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The schedule's name.") var name: String

    struct Report: Encodable {
        var schedule: String
        var job: Int64
    }

    func run() async throws {
        let scheduler = try global.openForChanges()
        let job = try await scheduler.closing { try await $0.triggerSchedule(named: name) }
        let console = Console.current
        if global.json { return try console.json(Report(schedule: name, job: job.id.rawValue)) }
        console.line("triggered \(name): job \(job.id)")
    }
}

/// Prints a schedule after an action: one line, or the schedule as JSON.
private func report(_ schedule: ScheduleInfo, _ verb: String, _ global: GlobalOptions) throws {
    let console = Console.current
    if global.json { return try console.json(ScheduleJSON(schedule)) }
    let next = schedule.isPaused ? "" : ", next firing \(ISO8601.format(schedule.nextFiring))"
    console.line("\(verb) \(schedule.name)\(next)")
}
