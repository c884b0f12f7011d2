import Docket
import DocketText
import Hummingbird

/// The job listing: filters in the address, so a listing can be bookmarked and reloaded, and pages
/// by the listing API's cursor, so that the thousandth page costs what the first does.
extension DocketDashboard {
    /// The most rows one listing page reads across the API's pages before it shows what it found,
    /// so that a filter that matches few jobs answers quickly and offers the next page.
    static let listingRowBudget = 20_000

    /// The listing's filters from the address: `state` (repeatable or a comma list), `name`,
    /// `queue`, `text` (in the last error), `after` (a cursor). 400 for a value that does not read.
    struct ListingFilters {
        var states: [JobState] = []
        var name: String?
        var queue: String?
        var text: String?
        var schedule: String?
        var after: JobCursor?

        init(_ values: FormValues) throws {
            for word in values.all("state") {
                guard let state = JobState(rawValue: word) else {
                    let known = JobState.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DashboardFailure.badRequest("The state filter takes \(known); “\(word)” is none of them.")
                }
                if !states.contains(state) { states.append(state) }
            }
            name = values["name"]
            queue = values["queue"]
            text = values["text"]
            schedule = values["schedule"]
            if let cursor = values["after"] {
                guard let parsed = JobCursor(cursor) else {
                    throw DashboardFailure.badRequest("“\(cursor)” is not a listing position; positions look like completed:42.")
                }
                after = parsed
            }
        }

        var query: JobQuery {
            JobQuery(
                states: Set(states), names: name.map { [$0] } ?? [], queues: queue.map { [$0] } ?? [], scheduleName: schedule,
                errorContains: text)
        }

        /// The address's query for these filters, after `cursor`.
        func address(after cursor: JobCursor?) -> String {
            URLText.query(
                states.map { ("state", $0.rawValue) } + [("name", name ?? ""), ("queue", queue ?? ""), ("text", text ?? ""), ("schedule", schedule ?? "")]
                    + [("after", cursor?.description ?? "")])
        }
    }

    func jobsPage(_ request: Request) async throws -> HTML {
        let filters = try ListingFilters(queryValues(request))
        var jobs: [Job] = []
        var next = filters.after
        var examined = 0
        repeat {
            let page = try await scheduler.jobs(matching: filters.query, after: next, limit: configuration.pageSize - jobs.count)
            jobs += page.jobs
            examined += page.examined
            next = page.next
        } while jobs.count < configuration.pageSize && next != nil && examined < Self.listingRowBudget
        let breakdown = try await scheduler.countBreakdown()
        return page("Jobs", section: "jobs", filterForm(filters, names: breakdown.byName.keys.sorted(), queues: breakdown.byQueue.keys.sorted())
            + jobTable(jobs) + pager(filters, next: next, examined: examined, shown: jobs.count))
    }

    private func filterForm(_ filters: ListingFilters, names: [String], queues: [String]) -> HTML {
        let states = JobState.allCases.map { state in
            let checked = filters.states.contains(state) ? HTML(trusted: " checked") : .empty
            return HTML("<label class=\"check\"><input type=\"checkbox\" name=\"state\" value=\"\(state.rawValue)\"\(checked)> \(state.rawValue)</label>")
        }.joined()
        func options(_ values: [String]) -> HTML { values.prefix(500).map { HTML("<option value=\"\($0)\">") }.joined() }
        return HTML(
            """
            <form method="get" action="\(link("/jobs"))" class="filters" role="search">
            <fieldset><legend>State</legend>\(states)</fieldset>
            <label>Name <input name="name" list="job-names" value="\(filters.name ?? "")"></label>
            <label>Queue <input name="queue" list="job-queues" value="\(filters.queue ?? "")"></label>
            <label>Error contains <input name="text" value="\(filters.text ?? "")"></label>
            <label>Schedule <input name="schedule" value="\(filters.schedule ?? "")"></label>
            <datalist id="job-names">\(options(names))</datalist><datalist id="job-queues">\(options(queues))</datalist>
            <button type="submit">Filter</button> <a href="\(link("/jobs"))">Clear</a>
            </form>
            """)
    }

    func jobTable(_ jobs: [Job]) -> HTML {
        guard !jobs.isEmpty else { return "<p class=\"empty\">No job matches on this page.</p>" }
        let rows = jobs.map { job in
            let error = job.lastError.map { $0.count > 80 ? String($0.prefix(79)) + "…" : $0 } ?? ""
            return HTML(
                """
                <tr data-job="\(job.id.rawValue)" data-state="\(job.state.rawValue)"><td class="num"><a href="\(link("/jobs/\(job.id.rawValue)"))">\(job.id.rawValue)</a></td>\
                <td><span class="state state-\(job.state.rawValue)">\(job.state.rawValue)</span></td><td>\(job.name)</td><td>\(job.queue)</td>\
                <td class="num">\(job.attempt)/\(job.maxAttempts)</td><td>\(date(job.runAt))</td><td class="error">\(error)</td></tr>
                """)
        }.joined()
        return HTML(
            "<table class=\"jobs\"><thead><tr><th>id</th><th>state</th><th>name</th><th>queue</th><th>attempt</th><th>run at</th><th>last error</th></tr></thead><tbody>\(rows)</tbody></table>")
    }

    private func pager(_ filters: ListingFilters, next: JobCursor?, examined: Int, shown: Int) -> HTML {
        var links: [HTML] = []
        if filters.after != nil { links.append(HTML("<a href=\"\(link("/jobs?" + filters.address(after: nil)))\">First page</a>")) }
        if let next { links.append(HTML("<a rel=\"next\" href=\"\(link("/jobs?" + filters.address(after: next)))\">Next page</a>")) }
        let more = next == nil ? HTML("End of the listing.") : HTML("More after \(next?.description ?? "").")
        return HTML("<nav class=\"pager\" aria-label=\"Pages\">\(links) <span class=\"hint\">\(shown) shown, \(examined) rows read. \(more)</span></nav>")
    }
}
