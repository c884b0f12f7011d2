import ArgumentParser
import Docket
import DocketCore
import DocketText
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

/// `docket jobs list [filters] [--after CURSOR] [--limit N]`.
struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs, state by state and oldest id first, a page at a time.",
        discussion: """
            Every filter is applied by the journal. A page holds --limit jobs unless the listing ends \
            first; `more: --after CURSOR` (the JSON's `next`) continues it.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var filters: JobQueryOptions

    @Option(help: "Start after this cursor (the previous page's `next`, such as completed:42).")
    var after: String?

    @Option(help: "The most jobs to print (1-10000).")
    var limit = 50

    func validate() throws {
        guard JobPage.limitRange.contains(limit) else {
            throw ValidationError("--limit must be between 1 and 10000, not \(limit)")
        }
        _ = try filters.query()
        _ = try cursor()
    }

    /// `--after` as a cursor: `state:id`, or a bare id when exactly one state is listed.
    private func cursor() throws -> JobCursor? {
        guard let after else { return nil }
        if let cursor = JobCursor(after) { return cursor }
        let states = try filters.states()
        if let id = Int64(after), states.count == 1 { return JobCursor(state: states[0], id: JobID(id)) }
        throw ValidationError("--after takes the cursor a page printed, such as completed:42, not '\(after)'")
    }

    struct Page: Encodable {
        var jobs: [JobJSON]
        /// The cursor to pass as --after for the next page; nil when this page reached the end.
        var next: String?
    }

    func run() async throws {
        let query = try filters.query()
        let start = try cursor()
        let scheduler = try global.openForReading()
        let (jobs, next) = try await scheduler.closing { try await page(of: $0, query: query, after: start) }
        let console = Console.current
        if global.json { return try console.json(Page(jobs: jobs.map { JobJSON($0) }, next: next?.description)) }
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

    /// Up to `limit` matching jobs after `cursor`, and the cursor for the next page: the journal's
    /// pages, which stop early on filters that match few of the rows read, until this one is full.
    private func page(of scheduler: JobScheduler, query: JobQuery, after cursor: JobCursor?) async throws -> ([Job], JobCursor?) {
        var found: [Job] = []
        var next = cursor
        repeat {
            let page = try await scheduler.jobs(matching: query, after: next, limit: limit - found.count)
            found += page.jobs
            next = page.next
        } while found.count < limit && next != nil
        return (found, next)
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
