import Docket
import Hummingbird

/// The queues. Today a queue is a label with counts: the page shows each one's jobs by state and
/// what runs in it. Each figure is a column of ``columns``, so that a queue's own limits and pause
/// become columns (and its actions a cell) when queues have them.
extension DocketDashboard {
    /// A column of the queues table: its heading and its cell for one queue.
    struct QueueColumn {
        var title: String
        var cell: (_ queue: String, _ counts: JobCounts) -> HTML
    }

    var queueColumns: [QueueColumn] {
        [
            QueueColumn(title: "running") { _, counts in HTML("<strong>\(counts.running)</strong>") },
            QueueColumn(title: "waiting") { queue, counts in
                HTML("<a href=\"\(link("/jobs?" + URLText.query([("state", "scheduled"), ("queue", queue)])))\">\(counts.scheduled)</a>")
            },
            QueueColumn(title: "completed") { _, counts in HTML("\(counts.completed)") },
            QueueColumn(title: "discarded") { queue, counts in
                HTML("<a href=\"\(link("/jobs?" + URLText.query([("state", "discarded"), ("queue", queue)])))\">\(counts.discarded)</a>")
            },
            QueueColumn(title: "cancelled") { _, counts in HTML("\(counts.cancelled)") },
            QueueColumn(title: "total") { _, counts in HTML("\(counts.total)") },
        ]
    }

    func queuesPage(_ request: Request) async throws -> HTML {
        let byQueue = try await scheduler.countBreakdown().byQueue
        return page("Queues", section: "queues", queueTable(byQueue) + HTML(
            "<p class=\"hint\">A queue is a label of its jobs; every queue shares the scheduler's concurrency limit.</p>"))
    }

    /// A row per queue, a cell per column of ``queueColumns``.
    func queueTable(_ byQueue: [String: JobCounts]) -> HTML {
        guard !byQueue.isEmpty else { return "<p class=\"empty\">No jobs, so no queues yet.</p>" }
        let columns = queueColumns
        let header = columns.map { HTML("<th>\($0.title)</th>") }.joined()
        let rows = byQueue.keys.sorted().map { queue in
            let counts = byQueue[queue] ?? JobCounts()
            let cells = columns.map { HTML("<td class=\"num\">\($0.cell(queue, counts))</td>") }.joined()
            return HTML(
                "<tr data-queue=\"\(queue)\"><th scope=\"row\"><a href=\"\(link("/jobs?" + URLText.query([("queue", queue)])))\">\(queue)</a></th>\(cells)</tr>")
        }.joined()
        return HTML("<table class=\"queues\"><thead><tr><th>queue</th>\(header)</tr></thead><tbody>\(rows)</tbody></table>")
    }
}
