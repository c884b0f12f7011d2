import CoreMetrics
import DocketCore

extension DocketMetrics {
    /// The gauge of jobs per `state`.
    public static let jobsLabel = "docket.jobs"
    /// The counter of ended jobs pruned, per `state`.
    public static let prunedLabel = "docket.pruned"

    /// Counts the jobs a prune batch deleted, by state.
    func record(_ batch: PruneBatch) {
        guard batch.total > 0 else { return }
        let counters = journalInstruments.withLock { instruments in
            batch.deleted.map { state, count in
                (instruments.pruned(state, metrics: self), count)
            }
        }
        for (counter, count) in counters where count > 0 { counter.increment(by: count) }
    }

    /// Sets the gauges of jobs per state, every state included (a state with no job reads 0).
    func record(counts: [JobState: Int]) {
        let gauges = journalInstruments.withLock { instruments in
            JobState.allCases.map { (instruments.jobs($0, metrics: self), counts[$0] ?? 0) }
        }
        for (gauge, count) in gauges { gauge.record(count) }
    }

    /// The journal's metric objects, made at their first report.
    struct JournalInstruments {
        private var jobs: [JobState: Gauge] = [:]
        private var pruned: [JobState: Counter] = [:]

        mutating func jobs(_ state: JobState, metrics: DocketMetrics) -> Gauge {
            if let gauge = jobs[state] { return gauge }
            let gauge = Gauge(
                label: DocketMetrics.jobsLabel, dimensions: [("state", state.rawValue)],
                factory: metrics.factory ?? MetricsSystem.factory)
            jobs[state] = gauge
            return gauge
        }

        mutating func pruned(_ state: JobState, metrics: DocketMetrics) -> Counter {
            if let counter = pruned[state] { return counter }
            let counter = metrics.makeCounter(DocketMetrics.prunedLabel, [("state", state.rawValue)])
            pruned[state] = counter
            return counter
        }
    }
}
