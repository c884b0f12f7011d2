import Docket
import Hummingbird

/// The queues: each one's jobs by state and what runs in it, and for a declared or paused queue its
/// limits and pause (``JobScheduler/queues()``); pause and resume through `pauseQueue` and
/// `resumeQueue`. Each figure is a column of ``queueColumns``.
extension DocketDashboard {
    /// A column of the queues table: its heading and its cell for one queue.
    struct QueueColumn {
        var title: String
        var cell: (_ queue: String, _ counts: JobCounts, _ info: QueueInfo?) -> HTML
    }

    var queueColumns: [QueueColumn] {
        [
            QueueColumn(title: "limit") { _, _, info in
                guard let limit = info?.maxConcurrentJobs else { return "—" }
                return "\(limit)"
            },
            QueueColumn(title: "rate") { _, _, info in
                guard let rate = info?.rateLimit else { return "—" }
                let seconds = Double(rate.period.components.seconds) + Double(rate.period.components.attoseconds) / 1e18
                return "\(rate.starts) per \(seconds.formatted()) s"
            },
            QueueColumn(title: "paused") { _, _, info in
                guard let info, info.isPaused else { return "no" }
                guard let note = info.pauseNote else { return "yes" }
                return "yes: \(note)"
            },
            QueueColumn(title: "running") { _, counts, _ in HTML("<strong>\(counts.running)</strong>") },
            QueueColumn(title: "waiting") { queue, counts, _ in
                HTML("<a href=\"\(link("/jobs?" + URLText.query([("state", "scheduled"), ("queue", queue)])))\">\(counts.scheduled)</a>")
            },
            QueueColumn(title: "completed") { _, counts, _ in HTML("\(counts.completed)") },
            QueueColumn(title: "discarded") { queue, counts, _ in
                HTML("<a href=\"\(link("/jobs?" + URLText.query([("state", "discarded"), ("queue", queue)])))\">\(counts.discarded)</a>")
            },
            QueueColumn(title: "cancelled") { _, counts, _ in HTML("\(counts.cancelled)") },
            QueueColumn(title: "total") { _, counts, _ in HTML("\(counts.total)") },
        ]
    }

    func queuesPage(_ request: Request) async throws -> HTML {
        let byQueue = try await scheduler.countBreakdown().byQueue
        let infos = Dictionary(try await scheduler.queues().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return page("Queues", section: "queues", notice: try notice(request), queueTable(byQueue, infos: infos, actions: true) + HTML(
            "<p class=\"hint\">A queue not declared has no limit but the scheduler's concurrency limit. A paused queue keeps its jobs and starts none until it is resumed, in every scheduler that runs the journal.</p>"))
    }

    /// A row per queue that has jobs or that the journal knows (``JobScheduler/queues()``), a cell
    /// per column of ``queueColumns``; with `actions`, a pause or resume form per queue.
    func queueTable(_ byQueue: [String: JobCounts], infos: [String: QueueInfo] = [:], actions: Bool = false) -> HTML {
        let names = Set(byQueue.keys).union(infos.keys).sorted()
        guard !names.isEmpty else { return "<p class=\"empty\">No jobs, so no queues yet.</p>" }
        let columns = queueColumns
        let header = columns.map { HTML("<th>\($0.title)</th>") }.joined() + (actions ? HTML("<th></th>") : .empty)
        let rows = names.map { queue in
            let counts = byQueue[queue] ?? JobCounts()
            let info = infos[queue]
            let cells = columns.map { HTML("<td class=\"num\">\($0.cell(queue, counts, info))</td>") }.joined()
            let isPaused = info?.isPaused == true
            // The overview passes no infos, so only the queues page can say a queue's status.
            let status = actions ? HTML(" data-status=\"\(isPaused ? "paused" : "active")\"") : .empty
            let action = actions ? HTML("<td>\(queueForm(queue, isPaused: isPaused))</td>") : .empty
            return HTML(
                "<tr data-queue=\"\(queue)\"\(status)><th scope=\"row\"><a href=\"\(link("/jobs?" + URLText.query([("queue", queue)])))\">\(queue)</a></th>\(cells)\(action)</tr>")
        }.joined()
        return HTML("<table class=\"queues\"><thead><tr><th>queue</th>\(header)</tr></thead><tbody>\(rows)</tbody></table>")
    }

    /// A paused queue's resume button, or an active one's pause form with its optional note; nothing
    /// when read-only.
    private func queueForm(_ queue: String, isPaused: Bool) -> HTML {
        let path = "/queues/" + URLText.encode(queue)
        if isPaused { return actionButton("Resume", path + "/resume") }
        return actionButton(
            "Pause", path + "/pause", fields: HTML("<input name=\"note\" placeholder=\"why (optional)\" size=\"14\" aria-label=\"Pause note\">"))
    }

    /// `pause` (with an optional `note`) and `resume`: ``JobScheduler/pauseQueue(_:note:)`` and
    /// ``JobScheduler/resumeQueue(_:)``, the transitions `docket queues` makes.
    func queueAction(_ name: String, _ action: String, _ request: Request, context: some RequestContext) async throws -> Response {
        let form = try await actionForm(request, context: context)
        switch action {
        case "pause": _ = try await scheduler.pauseQueue(name, note: form["note"])
        case "resume": _ = try await scheduler.resumeQueue(name)
        default: throw DashboardFailure.notFound("There is no queue action “\(action)”; the actions are pause and resume.")
        }
        return redirect("/queues?done=queue-\(action)")
    }
}
