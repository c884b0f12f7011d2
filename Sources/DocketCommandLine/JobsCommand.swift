import ArgumentParser
import Docket
import DocketCore
import Foundation

/// `docket jobs list|show|cancel|run-now|reschedule`.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, show and act on jobs.",
        subcommands: [
            JobsListCommand.self, JobsShowCommand.self, JobsRetryCommand.self, JobsCancelCommand.self, JobsRunNowCommand.self,
            JobsRescheduleCommand.self,
        ])
}

extension JobState: ExpressibleByArgument {}

/// `docket jobs list [--state S] [--name N] [--queue Q] [--after ID] [--limit N]`.
struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List jobs in one state, oldest id first, a page at a time.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "scheduled, running, completed, discarded or cancelled.")
    var state: JobState = .scheduled

    @Option(help: "Only jobs of this handler name.")
    var name: String?

    @Option(help: "Only jobs in this queue.")
    var queue: String?

    @Option(help: "Start after this job id (the previous page's `next`).")
    var after: Int64?

    @Option(help: "The most jobs to print (1-10000).")
    var limit = 50

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000, not \(limit)") }
    }

    struct Page: Encodable {
        var jobs: [JobJSON]
        /// The id to pass as --after for the next page; nil when this page reached the end.
        var next: Int64?
    }

    func run() async throws {
        let scheduler = try global.openForReading()
        let (jobs, next) = try await scheduler.closing { try await page(of: $0) }
        let console = Console.current
        if global.json { return try console.json(Page(jobs: jobs.map { JobJSON($0) }, next: next?.rawValue)) }
        console.table(
            ["ID", "STATE", "NAME", "QUEUE", "PRI", "ATTEMPT", "RUN AT", "LAST ERROR"],
            jobs.map { job in
                [
                    "\(job.id)", job.state.rawValue, job.name, job.queue, "\(job.priority)", "\(job.attempt)/\(job.maxAttempts)",
                    ISO8601.format(job.runAt), job.lastError.map { $0.count > 60 ? $0.prefix(59) + "…" : $0 } ?? "",
                ]
            })
        if let next { console.line("more: --after \(next)") }
    }

    /// Up to `limit` matching jobs after `after`, and the cursor for the next page.
    private func page(of scheduler: JobScheduler) async throws -> ([Job], JobID?) {
        var found: [Job] = []
        var cursor = after.map { JobID($0) }
        while found.count < limit {
            let batch = try await scheduler.jobs(in: state, after: cursor, limit: 500)
            for job in batch where (name.map { job.name == $0 } ?? true) && (queue.map { job.queue == $0 } ?? true) {
                found.append(job)
                if found.count == limit { return (found, job.id) }
            }
            guard let last = batch.last, batch.count == 500 else { return (found, nil) }
            cursor = last.id
        }
        return (found, found.last?.id)
    }
}

/// `docket jobs show ID [--payload]`.
struct JobsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one job and its attempts.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job's id.")
    var id: Int64

    @Flag(help: "Print the payload too (as text when it is UTF-8, else base64).")
    var payload = false

    func run() async throws {
        let scheduler = try global.openForReading()
        let (job, bytes) = try await scheduler.closing { scheduler in
            (try await scheduler.job(JobID(id)), payload ? try await scheduler.store.job(JobID(id))?.payload : nil)
        }
        guard let job else { throw ToolFailure.failure("no job \(id) in the journal") }
        let console = Console.current
        if global.json { return try console.json(JobJSON(job, withAttempts: true, payload: bytes)) }
        var fields: [(String, String)] = [
            ("id", "\(job.id)"), ("name", job.name), ("queue", job.queue), ("priority", "\(job.priority)"),
            ("state", job.state.rawValue), ("attempt", "\(job.attempt) of \(job.maxAttempts)"),
            ("run at", ISO8601.format(job.runAt)), ("created at", ISO8601.format(job.createdAt)),
            ("finished at", ISO8601.format(job.finishedAt)),
        ]
        if let key = job.uniqueKey { fields.append(("unique key", key)) }
        if let firing = job.schedule { fields.append(("schedule", "\(firing.scheduleName), firing of \(ISO8601.format(firing.firedAt))")) }
        if let error = job.lastError { fields.append(("last error", error)) }
        if let bytes {
            let text = String(validating: bytes, as: UTF8.self)
            fields.append(("payload", text ?? "base64:" + Data(bytes).base64EncodedString()))
        }
        console.fields(fields)
        guard !job.attempts.isEmpty else { return }
        console.line()
        console.table(
            ["ATTEMPT", "STARTED", "ENDED", "OUTCOME", "ERROR"],
            job.attempts.map {
                ["\($0.number)", ISO8601.format($0.startedAt), ISO8601.format($0.endedAt), $0.outcome?.rawValue ?? "-", $0.error ?? ""]
            })
    }
}
