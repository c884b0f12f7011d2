import Docket
import DocketText
import Foundation
import Hummingbird

/// One job: its fields, its attempts with their errors, its payload when asked for, and the actions
/// its state allows.
extension DocketDashboard {
    /// The notices an action leaves on the page it redirects to, by the code in `done`; a code
    /// not listed shows nothing, so the address cannot put text on the page.
    static let notices: [String: String] = [
        "created": "Job created.", "duplicate": "A job holds that unique key already: this is it; nothing new was created.",
        "retry": "Job retried: it is scheduled again.", "cancel": "Job cancelled.", "run-now": "Job made due now.",
        "reschedule": "Job rescheduled.", "pause": "Schedule paused.", "resume": "Schedule resumed.",
        "queue-pause": "Queue paused: none of its jobs starts until it is resumed.", "queue-resume": "Queue resumed.",
    ]

    func notice(_ request: Request) throws -> String? {
        try queryValues(request)["done"].flatMap { Self.notices[$0] }
    }

    func jobPage(_ id: JobID, _ request: Request) async throws -> HTML {
        guard let job = try await scheduler.job(id) else { throw DashboardFailure.notFound("There is no job \(id.rawValue) in the journal.") }
        let values = try queryValues(request)
        var fields: [(String, HTML)] = [
            ("id", HTML("\(job.id.rawValue)")), ("name", HTML("\(job.name)")), ("queue", HTML("\(job.queue)")),
            ("state", HTML("<span class=\"state state-\(job.state.rawValue)\" id=\"job-state\">\(job.state.rawValue)</span>")),
            ("priority", HTML("\(job.priority)")), ("attempt", HTML("\(job.attempt) of \(job.maxAttempts)")),
            ("run at", date(job.runAt)), ("created at", date(job.createdAt)), ("finished at", date(job.finishedAt)),
        ]
        if let key = job.uniqueKey { fields.append(("unique key", HTML("\(key)"))) }
        if let firing = job.schedule {
            fields.append(("schedule", HTML("\(firing.scheduleName), firing of ") + date(firing.firedAt)))
        }
        if let error = job.lastError { fields.append(("last error", HTML("<span class=\"error\">\(error)</span>"))) }
        let list = fields.map { HTML("<dt>\($0.0)</dt><dd>\($0.1)</dd>") }.joined()
        let payload: HTML
        if values["payload"] != nil {
            let bytes = try await scheduler.store.job(id)?.payload ?? []
            let text = String(validating: bytes, as: UTF8.self) ?? "base64:" + Data(bytes).base64EncodedString()
            payload = HTML(
                "<h2>Payload</h2><pre id=\"payload\">\(text)</pre><p><a href=\"\(link("/jobs/\(id.rawValue)"))\">Hide the payload</a></p>")
        } else {
            payload = HTML("<p><a href=\"\(link("/jobs/\(id.rawValue)?payload=1"))\" id=\"show-payload\">Show the payload</a></p>")
        }
        return page(
            "Job \(id.rawValue): \(job.name)", section: "jobs", notice: try notice(request),
            HTML("<dl class=\"fields\">\(list)</dl>") + actions(job) + attempts(job) + payload)
    }

    private func attempts(_ job: Job) -> HTML {
        guard !job.attempts.isEmpty else { return "<h2>Attempts</h2><p>No attempt has ended yet.</p>" }
        let rows = job.attempts.map { attempt in
            HTML(
                "<tr><td class=\"num\">\(attempt.number)</td><td>\(date(attempt.startedAt))</td><td>\(date(attempt.endedAt))</td><td>\(attempt.outcome?.rawValue ?? "running")</td><td class=\"error\">\(attempt.error ?? "")</td></tr>")
        }.joined()
        return HTML(
            "<h2>Attempts</h2><table class=\"attempts\"><thead><tr><th>#</th><th>started</th><th>ended</th><th>outcome</th><th>error</th></tr></thead><tbody>\(rows)</tbody></table>")
    }

    /// The buttons the job's state allows: the same states the `docket jobs` actions accept.
    private func actions(_ job: Job) -> HTML {
        guard !configuration.isReadOnly else { return .empty }
        let base = "/jobs/\(job.id.rawValue)/"
        let when = HTML(
            "<label>in <input name=\"in\" placeholder=\"5m, 1h30m\" size=\"8\"></label> <label>or at <input name=\"at\" placeholder=\"2026-03-08T07:00:00Z\" size=\"22\"></label>")
        var buttons: [HTML] = []
        switch job.state {
        case .scheduled:
            buttons.append(actionButton("Run now", base + "run-now"))
            buttons.append(actionButton("Reschedule", base + "reschedule", fields: when))
            buttons.append(actionButton("Cancel", base + "cancel", style: "danger"))
        case .running:
            buttons.append(actionButton("Cancel", base + "cancel", style: "danger"))
        case .discarded, .cancelled:
            buttons.append(actionButton("Retry", base + "retry"))
        case .completed:
            break
        }
        return buttons.isEmpty ? .empty : HTML("<section class=\"actions\" aria-label=\"Actions\">\(buttons)</section>")
    }

    /// `retry`, `cancel`, `run-now`, `reschedule`: each the API call the tool's command of that
    /// name makes.
    func jobAction(_ id: JobID, _ action: String, _ request: Request, context: some RequestContext) async throws -> Response {
        let form = try await actionForm(request, context: context)
        switch action {
        case "retry": try await scheduler.retry(id, at: try timing(form, required: false) ?? .now)
        case "cancel": try await scheduler.cancel(id)
        case "run-now": try await scheduler.runNow(id)
        case "reschedule":
            guard let timing = try timing(form, required: true) else { throw DashboardFailure.badRequest("Give a delay or a date.") }
            try await scheduler.reschedule(id, to: timing)
        default:
            throw DashboardFailure.notFound("There is no job action “\(action)”; the actions are retry, cancel, run-now and reschedule.")
        }
        return redirect("/jobs/\(id.rawValue)?done=\(action)")
    }

    /// When, from a form's `in` (a delay such as `90s` or `1h30m`) or `at` (ISO 8601, or a
    /// `datetime-local` value, read as UTC); nil when neither is given and none is required.
    func timing(_ form: FormValues, required: Bool) throws -> JobTiming? {
        switch (form["in"], form["at"]) {
        case (let delay?, nil): return .after(delay)
        case (nil, let at?):
            guard let date = InstantParser.instant(at) ?? InstantParser.instant(at, wallTimeIn: TimeZone(identifier: "UTC")!) else {
                throw DashboardFailure.badRequest("“\(at)” is not a date; write it like 2026-03-08T07:00:00Z.")
            }
            return .at(date)
        case (nil, nil):
            if required { throw DashboardFailure.badRequest("Give a delay (in) or a date (at).") }
            return nil
        case (.some, .some):
            throw DashboardFailure.badRequest("Give a delay (in) or a date (at), not both.")
        }
    }
}
