import Docket
import DocketCore
import Foundation
import Hummingbird

/// What the overview shows of the last hour: ends per minute of the clock (``EndsPerMinute``, from
/// the journal's index of end times), and the lateness of the most recent ends.
struct RecentActivity {
    static let window: Int64 = 3_600_000_000
    static let latenessSample = 1_000

    /// Per minute of the hour (oldest first, the present minute last), the completed, discarded and
    /// cancelled jobs.
    var perMinute: [(completed: Int, discarded: Int, cancelled: Int)]
    /// Milliseconds, sorted.
    var lateness: [Double]

    init(perMinute: [RecentEnds.Counts], lateness: [Int64]) {
        self.perMinute = perMinute.map { ($0.completed, $0.discarded, $0.cancelled) }
        self.lateness = lateness.map { Double($0) / 1000 }.sorted()
    }

    func total(_ part: KeyPath<(completed: Int, discarded: Int, cancelled: Int), Int>) -> Int {
        perMinute.reduce(0) { $0 + $1[keyPath: part] }
    }

    func percentile(_ fraction: Double) -> Double? {
        guard !lateness.isEmpty else { return nil }
        return lateness[min(lateness.count - 1, Int((Double(lateness.count) * fraction).rounded(.up)) - 1)]
    }
}

extension DocketDashboard {
    func overviewPage(_ request: Request) async throws -> HTML {
        let breakdown = try await scheduler.countBreakdown()
        let lateness = try await scheduler.oldestDueLateness()
        let now = scheduler.now()
        let oldest = lateness == nil ? nil : try await scheduler.store.dueEntries(through: now, after: nil, limit: 1).first
        let store = scheduler.store
        let hourAgo = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - RecentActivity.window)
        let perMinute = try await endsPerMinute.read(now: now) { ranges in
            try await store.recentEnds(counting: ranges, latenessSince: hourAgo, latenessSample: 0).counts
        }
        let latestEnds = try await store.recentEnds(
            counting: [], latenessSince: hourAgo, latenessSample: RecentActivity.latenessSample)
        let ends = RecentActivity(perMinute: perMinute, lateness: latestEnds.lateness)
        let states = JobState.allCases.map { state in
            HTML(
                """
                <a class="count state-\(state.rawValue)" href="\(link("/jobs?state=" + state.rawValue))" data-state="\(state.rawValue)">\
                <span class="number">\(breakdown.total[state])</span><span class="label">\(state.rawValue)</span></a>
                """)
        }.joined()
        let due: HTML
        if let lateness, let oldest {
            due = HTML(
                "<p id=\"oldest-due\">The oldest due job, <a href=\"\(link("/jobs/\(oldest.id.rawValue)"))\">\(oldest.name) #\(oldest.id.rawValue)</a>, has waited \(Self.duration(lateness)).</p>")
        } else {
            due = HTML("<p id=\"oldest-due\">No job is due and waiting.</p>")
        }
        return page("Overview", section: "overview", HTML(
            """
            <section class="counts" aria-label="Jobs by state">\(states)<span class="count total"><span class="number">\(breakdown.total.total)</span><span class="label">total</span></span></section>
            \(due)
            <h2>Last hour</h2>
            \(activity(ends))
            <h2>Queues</h2>
            \(queueTable(breakdown.byQueue))
            """))
    }

    private func activity(_ ends: RecentActivity) -> HTML {
        let completed = ends.total(\.completed)
        let discarded = ends.total(\.discarded)
        let cancelled = ends.total(\.cancelled)
        let rate = Double(completed + discarded) / 60
        let latenessText: HTML
        if let p50 = ends.percentile(0.5), let p99 = ends.percentile(0.99), let max = ends.lateness.last {
            latenessText = HTML(
                "Lateness of the last \(ends.lateness.count) ends (start of the last attempt after its due time): p50 \(Self.milliseconds(p50)), p99 \(Self.milliseconds(p99)), max \(Self.milliseconds(max)).")
        } else {
            latenessText = "No job ended in the last hour, so there is no lateness to show."
        }
        return HTML(
            """
            <p id="throughput">\(completed) completed, \(discarded) discarded, \(cancelled) cancelled in the last hour \
            (\(String(format: "%.1f", rate)) finished a minute).</p>
            \(chart(ends))
            <p id="lateness">\(latenessText)</p>
            """)
    }

    /// An SVG bar per minute, completed over discarded: drawn by the server, so it needs no script.
    private func chart(_ ends: RecentActivity) -> HTML {
        let tallest = max(1, ends.perMinute.map { $0.completed + $0.discarded + $0.cancelled }.max() ?? 1)
        let bars = ends.perMinute.enumerated().map { minute, counts in
            let x = minute * 10
            // Heights in whole units of an 80-unit chart: no text formatting of fractions per bar.
            let done = counts.completed * 80 / tallest
            let failed = (counts.discarded + counts.cancelled) * 80 / tallest
            let age = ends.perMinute.count - 1 - minute
            let label = (age == 0 ? "this minute" : "\(age) min ago") + ": \(counts.completed) completed, \(counts.discarded) discarded, \(counts.cancelled) cancelled"
            return HTML(
                """
                <g><title>\(label)</title><rect class="bar-done" x="\(x)" y="\(80 - done)" width="8" height="\(done)"/>\
                <rect class="bar-failed" x="\(x)" y="\(80 - done - failed)" width="8" height="\(failed)"/></g>
                """)
        }.joined()
        return HTML(
            "<svg class=\"chart\" viewBox=\"0 0 600 82\" role=\"img\" aria-label=\"Jobs ended per minute over the last hour\">\(bars)</svg>")
    }

    static func duration(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        switch seconds {
        case ..<1: return String(format: "%.0f ms", seconds * 1000)
        case ..<120: return String(format: "%.1f s", seconds)
        case ..<7200: return String(format: "%.0f min", seconds / 60)
        case ..<172_800: return String(format: "%.1f h", seconds / 3600)
        default: return String(format: "%.1f days", seconds / 86400)
        }
    }

    static func milliseconds(_ value: Double) -> String {
        value < 1000 ? String(format: "%.1f ms", value) : duration(.milliseconds(Int64(value)))
    }
}
