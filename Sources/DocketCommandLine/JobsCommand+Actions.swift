import ArgumentParser
import Docket
import DocketCore
import DocketText
import Foundation

/// What an action on a job did, or with `--dry-run` would do.
struct JobActionReport: Encodable {
    var action: String
    var job: Int64
    var dryRun: Bool
    /// Whether the job changed (with `--dry-run`: whether it would).
    var changed: Bool
    /// The job's state before the action.
    var state: String
    /// When the job is due after the action, for run-now and reschedule.
    var runAt: Date?
}

/// The part every job action shares: open the journal for changes (for reading with `--dry-run`),
/// check the job is scheduled, act, and report.
protocol JobAction: AsyncParsableCommand {
    var global: GlobalOptions { get }
    /// One job; nil to act on every job the filter matches.
    var id: Int64? { get }
    var filter: JobFilter { get }
    var dryRun: Bool { get }
    /// The action's name in reports.
    static var actionName: String { get }
    /// The states the action takes a job from.
    static var acceptedStates: [JobState] { get }
    /// When the job will be due after the action; nil for cancel.
    func newRunAt(now: Date) throws -> Date?
    /// Performs the action.
    func act(on scheduler: JobScheduler, id: JobID, runAt: Date?) async throws
    /// Checks the options that say when the job runs.
    func validateTiming() throws
}

extension JobAction {
    static var acceptedStates: [JobState] { [.scheduled] }

    func validate() throws {
        try validateTiming()
        if id != nil, filter.isGiven { throw ValidationError("give a job id or filters (--name, --queue, --state, --all), not both") }
        if id == nil, !filter.isGiven {
            throw ValidationError("give a job id, or filters (--name, --queue, --state) or --all to act on many jobs")
        }
        if let state = try filter.query.states().first(where: { !Self.acceptedStates.contains($0) }) {
            let states = Self.acceptedStates.map(\.rawValue).joined(separator: " and ")
            throw ValidationError("\(Self.actionName) acts on \(states) jobs, not \(state) ones")
        }
        _ = try filter.query.query(defaultStates: Self.acceptedStates)
    }

    /// Checks the options that say when the job runs; none by default.
    func validateTiming() throws {}

    func run() async throws {
        guard let id else { return try await runOnMatches() }
        let scheduler = try dryRun ? global.openForReading() : global.openForChanges()
        let report = try await scheduler.closing { scheduler in
            let id = JobID(id)
            guard let job = try await scheduler.job(id) else { throw ToolFailure.failure("no job \(id) in the journal") }
            let runAt = try newRunAt(now: Date())
            var report = JobActionReport(
                action: Self.actionName, job: id.rawValue, dryRun: dryRun, changed: Self.acceptedStates.contains(job.state),
                state: job.state.rawValue, runAt: runAt)
            guard Self.acceptedStates.contains(job.state) else {
                let states = Self.acceptedStates.map(\.rawValue).joined(separator: " and ")
                throw ToolFailure.failure("job \(id) is \(job.state), and \(Self.actionName) acts on \(states) jobs only")
            }
            if !dryRun {
                try await act(on: scheduler, id: id, runAt: runAt)
                report.changed = true
            }
            return report
        }
        let console = Console.current
        if global.json { return try console.json(report) }
        let verb = dryRun ? "would \(Self.actionName)" : Self.actionName.replacingOccurrences(of: "-", with: " ") + ":"
        let due = report.runAt.map { ", due \(ISO8601.format($0))" } ?? ""
        console.line(dryRun ? "\(verb) job \(report.job) (\(report.state))\(due)" : "\(verb) job \(report.job)\(due)")
    }
}

/// `docket jobs cancel ID [--dry-run]`.
struct JobsCancelCommand: JobAction {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a scheduled or running job: it will not run again.",
        discussion: """
            A running job ends as cancelled at once; the scheduler that runs it cancels its handler's \
            task when it sees the change, and ignores whatever a handler that carries on returns.
            """)
    static let actionName = "cancel"
    static let acceptedStates: [JobState] = [.scheduled, .running]

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's id; leave it out to act on every job the filters match.") var id: Int64?
    @OptionGroup var filter: JobFilter
    @Flag(help: "Say what would change, and change nothing.") var dryRun = false

    func newRunAt(now: Date) throws -> Date? { nil }
    func act(on scheduler: JobScheduler, id: JobID, runAt: Date?) async throws { try await scheduler.cancel(id) }
}

/// `docket jobs run-now ID [--dry-run]`.
struct JobsRunNowCommand: JobAction {
    static let configuration = CommandConfiguration(commandName: "run-now", abstract: "Make a scheduled job due now.")
    static let actionName = "run-now"

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's id; leave it out to act on every job the filters match.") var id: Int64?
    @OptionGroup var filter: JobFilter
    @Flag(help: "Say what would change, and change nothing.") var dryRun = false

    func newRunAt(now: Date) throws -> Date? { now }
    func act(on scheduler: JobScheduler, id: JobID, runAt: Date?) async throws { try await scheduler.runNow(id) }
}

/// `docket jobs retry ID [--at ISO8601 | --in SECONDS] [--dry-run]`.
struct JobsRetryCommand: JobAction {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Run a discarded or cancelled job again, with as many attempts again as it was allowed.")
    static let actionName = "retry"
    static let acceptedStates: [JobState] = [.discarded, .cancelled]

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's id; leave it out to act on every job the filters match.") var id: Int64?
    @OptionGroup var filter: JobFilter
    @Option(help: "When to run it, ISO 8601 with Z or an offset (default: now).") var at: String?
    @Option(name: .customLong("in"), help: "When to run it, as seconds from now.") var delay: Double?
    @Flag(help: "Say what would change, and change nothing.") var dryRun = false

    func validateTiming() throws {
        guard at == nil || delay == nil else { throw ValidationError("give at most one of --at and --in") }
        if let delay, !(delay >= 0 && delay.isFinite) { throw ValidationError("--in must be zero or more seconds, not \(delay)") }
    }

    func newRunAt(now: Date) throws -> Date? {
        if let delay { return now.addingTimeInterval(delay) }
        guard let at else { return now }
        guard let date = InstantParser.instant(at) else {
            throw ToolFailure.usage("--at \(at) is not an ISO 8601 instant; write it like 2026-03-08T07:00:00Z")
        }
        return date
    }

    func act(on scheduler: JobScheduler, id: JobID, runAt: Date?) async throws {
        try await scheduler.retry(id, at: runAt.map { .at($0) } ?? .now)
    }
}

/// `docket jobs reschedule ID (--at ISO8601 | --in SECONDS) [--dry-run]`.
struct JobsRescheduleCommand: JobAction {
    static let configuration = CommandConfiguration(commandName: "reschedule", abstract: "Move a scheduled job to another time.")
    static let actionName = "reschedule"

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's id; leave it out to act on every job the filters match.") var id: Int64?
    @OptionGroup var filter: JobFilter
    @Option(help: "The new time, ISO 8601 with Z or an offset (2026-03-08T07:00:00Z).") var at: String?
    @Option(name: .customLong("in"), help: "The new time as seconds from now.") var delay: Double?
    @Flag(help: "Say what would change, and change nothing.") var dryRun = false

    func validateTiming() throws {
        guard (at == nil) != (delay == nil) else { throw ValidationError("give exactly one of --at and --in") }
        if let delay, !(delay >= 0 && delay.isFinite) { throw ValidationError("--in must be zero or more seconds, not \(delay)") }
    }

    func newRunAt(now: Date) throws -> Date? {
        if let delay { return now.addingTimeInterval(delay) }
        guard let at, let date = InstantParser.instant(at) else {
            throw ToolFailure.usage("--at \(at ?? "") is not an ISO 8601 instant; write it like 2026-03-08T07:00:00Z")
        }
        return date
    }

    func act(on scheduler: JobScheduler, id: JobID, runAt: Date?) async throws {
        guard let runAt else { return }
        try await scheduler.reschedule(id, to: .at(runAt))
    }
}
