import Docket
import Foundation
import Hummingbird

/// The schedules: rule, zone, next firings, last firing, fired, missed and skipped counts, pause
/// with its note; pause and resume through `pauseSchedule` and `resumeSchedule`.
extension DocketDashboard {
    static let schedulesPerPage = 50
    static let upcomingFirings = 3

    func schedulesPage(_ request: Request) async throws -> HTML {
        let values = try queryValues(request)
        let after = values["after"]
        let found = try await scheduler.schedules(after: after, limit: Self.schedulesPerPage + 1)
        let shown = Array(found.prefix(Self.schedulesPerPage))
        var rows: [HTML] = []
        for schedule in shown {
            let upcoming = schedule.isPaused || schedule.removedAt != nil
                ? [] : try await scheduler.previewSchedule(named: schedule.name, count: Self.upcomingFirings)
            rows.append(row(schedule, upcoming: upcoming))
        }
        let table = rows.isEmpty ? HTML("<p class=\"empty\">No schedules.</p>") : HTML(
            """
            <table class="schedules"><thead><tr><th>name</th><th>rule</th><th>zone</th><th>job</th><th>status</th><th>next firings</th>\
            <th>last firing</th><th>fired</th><th>missed</th><th>skipped</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            """)
        var links: [HTML] = []
        if after != nil { links.append(HTML("<a href=\"\(link("/schedules"))\">First page</a>")) }
        if found.count > Self.schedulesPerPage, let last = shown.last {
            links.append(HTML("<a rel=\"next\" href=\"\(link("/schedules?" + URLText.query([("after", last.name)])))\">Next page</a>"))
        }
        return page("Schedules", section: "schedules", notice: try notice(request), table + HTML("<nav class=\"pager\">\(links)</nav>"))
    }

    private func row(_ schedule: ScheduleInfo, upcoming: [Date]) -> HTML {
        let status: String = schedule.removedAt != nil ? "removed" : schedule.isPaused ? "paused" : "active"
        let note = schedule.pauseNote.map { HTML("<br><span class=\"hint\">\($0)</span>") } ?? .empty
        let firings = upcoming.isEmpty ? HTML("–") : upcoming.map { date($0) }.map { $0 + "<br>" }.joined()
        let path = "/schedules/" + URLText.encode(schedule.name)
        let action: HTML
        switch status {
        case "active":
            action = actionButton(
                "Pause", path + "/pause", fields: HTML("<input name=\"note\" placeholder=\"why (optional)\" size=\"14\" aria-label=\"Pause note\">"))
        case "paused": action = actionButton("Resume", path + "/resume")
        default: action = .empty
        }
        let last = schedule.lastJobID.map { HTML(" (<a href=\"\(link("/jobs/\($0.rawValue)"))\">job \($0.rawValue)</a>)") } ?? .empty
        return HTML(
            """
            <tr data-schedule="\(schedule.name)" data-status="\(status)"><th scope="row"><a href="\(link("/jobs?" + URLText.query([("schedule", schedule.name)])))">\(schedule.name)</a></th>\
            <td><code>\(schedule.recurrence.text)</code></td><td>\(schedule.recurrence.timeZone ?? "UTC")</td><td>\(schedule.jobName) in \(schedule.queue)</td>\
            <td><span class="status status-\(status)">\(status)</span>\(note)</td><td>\(firings)</td><td>\(date(schedule.lastFiring))\(last)</td>\
            <td class="num">\(schedule.fired)</td><td class="num">\(schedule.missed)</td><td class="num">\(schedule.skipped)</td><td>\(action)</td></tr>
            """)
    }

    /// `pause` (with an optional `note`) and `resume`.
    func scheduleAction(_ name: String, _ action: String, _ request: Request, context: some RequestContext) async throws -> Response {
        let form = try await actionForm(request, context: context)
        switch action {
        case "pause": _ = try await scheduler.pauseSchedule(named: name, note: form["note"])
        case "resume": _ = try await scheduler.resumeSchedule(named: name)
        default: throw DashboardFailure.notFound("There is no schedule action “\(action)”; the actions are pause and resume.")
        }
        return redirect("/schedules?done=\(action)")
    }
}
