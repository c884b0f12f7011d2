import Docket
import Hummingbird

/// The queues: each one's jobs by state and what runs in it, and for a declared or paused queue its
/// limits and pause (``JobScheduler/queues()``). Each figure is a column of ``queueColumns``.
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
        return page("Queues", section: "queues", queueTable(byQueue, infos: infos) + HTML(
            "<p class=\"hint\">A queue not declared has no limit but the scheduler's concurrency limit. `docket queues` pauses and resumes queues.</p>"))
    }

    /// A row per queue, a cell per column of ``queueColumns``.
    func queueTable(_ byQueue: [String: JobCounts], infos: [String: QueueInfo] = [:]) -> HTML {
        guard !byQueue.isEmpty else { return "<p class=\"empty\">No jobs, so no queues yet.</p>" }
        let columns = queueColumns
        let header = columns.map { HTML("<th>\($0.title)</th>") }.joined()
        let rows = byQueue.keys.sorted().map { queue in
            let counts = byQueue[queue] ?? JobCounts()
            let cells = columns.map { HTML("<td class=\"num\">\($0.cell(queue, counts, infos[queue]))</td>") }.joined()
            return HTML(
                "<tr data-queue=\"\(queue)\"><th scope=\"row\"><a href=\"\(link("/jobs?" + URLText.query([("queue", queue)])))\">\(queue)</a></th>\(cells)</tr>")
        }.joined()
        return HTML("<table class=\"queues\"><thead><tr><th>queue</th>\(header)</tr></thead><tbody>\(rows)</tbody></table>")
    }
}
