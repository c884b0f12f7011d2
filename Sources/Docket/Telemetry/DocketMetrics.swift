import CoreMetrics
import DocketCore
import Metrics

/// Middleware that reports attempts and schedule firings to swift-metrics.
///
/// Add it to ``SchedulerConfiguration/middleware``, usually first so that its duration covers the
/// other middleware too:
///
/// ```swift
/// var configuration = SchedulerConfiguration()
/// configuration.middleware = [DocketMetrics()]
/// ```
///
/// It reports, with the dimensions `name` (the job's name) and `queue`:
///
/// - `docket.attempts`, a counter per `outcome`: `succeeded`, `failed` (the handler threw, or asked
///   for a retry), `snoozed`, `discarded` (the handler discarded the job, or its payload did not
///   decode), `cancelled` (its timeout or a shutdown ended the attempt).
/// - `docket.attempt.duration`, a timer: how long the rest of the chain and the handler ran.
/// - `docket.attempt.lateness`, a timer: from the job's due time to the attempt's start.
///
/// and, when a firing pass of the schedules creates jobs or lets firings go:
///
/// - `docket.schedule.firings`, a counter of the jobs firings created, by the job's `name` and `queue`.
/// - `docket.schedule.missed`, a counter of the firings a catch-up policy let go without a job; no
///   dimensions, since schedules created at run time may be many.
///
/// and, from the journal:
///
/// - `docket.jobs`, a gauge of jobs per `state` (`scheduled`, `running`, `completed`, `discarded`,
///   `cancelled`), read by a running scheduler every ``countsInterval``: alert on `scheduled`
///   growing without end, or on `discarded` rising.
/// - `docket.pruned`, a counter of the ended jobs retention deleted, per `state`.
///
/// Job ids, unique keys and schedule names are never dimensions: each would make a series per job.
/// The metric objects of a name and queue are made once, at their first attempt, from `factory`,
/// or from the factory `MetricsSystem.bootstrap` installed by then. With none bootstrapped each
/// report is a call to swift-metrics' no-op handler.
public final class DocketMetrics: JobMiddleware {
    /// The counter of attempts by outcome.
    public static let attemptsLabel = "docket.attempts"
    /// The timer of attempt durations.
    public static let durationLabel = "docket.attempt.duration"
    /// The timer of attempts' lateness.
    public static let latenessLabel = "docket.attempt.lateness"
    /// The counter of jobs created by schedule firings.
    public static let firingsLabel = "docket.schedule.firings"
    /// The counter of firings missed without a job.
    public static let missedLabel = "docket.schedule.missed"

    let factory: (any MetricsFactory)?
    // Guards the metric objects by job name and queue, made at the first attempt of each pair.
    private let instruments = Locked<[Series: AttemptInstruments]>([:])
    // Guards the firing counters by job name and queue, and the missed counter once made.
    private let firingCounters = Locked<(firings: [Series: Counter], missed: Counter?)>(([:], nil))
    // Guards the gauges of jobs per state and the counters of pruned jobs, made at first use.
    let journalInstruments = Locked(JournalInstruments())
    /// How often a running scheduler reads the journal's counts for the `docket.jobs` gauges.
    public let countsInterval: Duration

    /// Metrics made by `factory`, or by the bootstrapped `MetricsSystem.factory` when nil: pass a
    /// factory of your own (a `TestMetrics` in tests) to keep these apart from the process's global
    /// metrics. A running scheduler reads the journal's counts per state every `countsInterval`
    /// (at least a second) for the `docket.jobs` gauges.
    public init(factory: (any MetricsFactory)? = nil, countsInterval: Duration = .seconds(15)) {
        self.factory = factory
        self.countsInterval = max(countsInterval, .seconds(1))
    }

    /// Times the attempt and counts its outcome, which it leaves as the rest of the chain made it.
    public func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
        let context = attempt.context
        let series = instruments(name: context.name, queue: context.queue)
        series.lateness.recordNanoseconds(Self.nanoseconds(attempt.lateness))
        let start = ContinuousClock.now
        do {
            try await next(context)
        } catch {
            series.duration.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - start))
            series.count(AttemptOutcome(error, cancelled: Task.isCancelled))
            throw error
        }
        series.duration.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - start))
        series.count(Task.isCancelled ? .cancelled : .succeeded)
    }

    /// Counts what a firing pass did: the jobs its firings created and the firings it let go.
    func record(_ report: ScheduleFiringReport) {
        guard !report.created.isEmpty || !report.missed.isEmpty else { return }
        let missed = report.missed.reduce(0) { $0 + $1.count }
        firingCounters.withLock { counters in
            for (_, job) in report.created {
                let series = Series(name: job.name, queue: job.queue)
                if let counter = counters.firings[series] {
                    counter.increment()
                } else {
                    let counter = makeCounter(Self.firingsLabel, series.dimensions)
                    counters.firings[series] = counter
                    counter.increment()
                }
            }
            if missed > 0 {
                let counter = counters.missed ?? makeCounter(Self.missedLabel, [])
                counters.missed = counter
                counter.increment(by: missed)
            }
        }
    }

    private func instruments(name: String, queue: String) -> AttemptInstruments {
        let series = Series(name: name, queue: queue)
        return instruments.withLock { instruments in
            if let found = instruments[series] { return found }
            let made = AttemptInstruments(series, metrics: self)
            instruments[series] = made
            return made
        }
    }

    func makeCounter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        Counter(label: label, dimensions: dimensions, factory: factory ?? MetricsSystem.factory)
    }

    func makeTimer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory ?? MetricsSystem.factory)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}

extension DocketMetrics {
    /// The dimensions every attempt metric has: the job's name and queue.
    struct Series: Hashable, Sendable {
        let name: String
        let queue: String

        var dimensions: [(String, String)] { [("name", name), ("queue", queue)] }
    }

    /// How an attempt ended, as ``DocketMetrics`` counts it in the `outcome` dimension.
    enum AttemptOutcome: Int, CaseIterable, Sendable {
        case succeeded, failed, snoozed, discarded, cancelled

        var dimension: String {
            switch self {
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .snoozed: "snoozed"
            case .discarded: "discarded"
            case .cancelled: "cancelled"
            }
        }

        /// The outcome of an attempt whose chain threw `error`; `cancelled` when the attempt's task
        /// was cancelled, since its timeout or a shutdown then decided the outcome, whatever it threw.
        init(_ error: any Error, cancelled: Bool) {
            if cancelled {
                self = .cancelled
                return
            }
            switch error {
            case JobControl.snooze, JobControl.rateLimited: self = .snoozed
            case JobControl.discard, is PayloadDecodingFailure: self = .discarded
            default: self = .failed
            }
        }
    }

    /// The metric objects of one job name and queue, made once.
    final class AttemptInstruments: Sendable {
        /// One counter per outcome, by ``AttemptOutcome/rawValue``.
        let outcomes: [Counter]
        let duration: CoreMetrics.Timer
        let lateness: CoreMetrics.Timer

        init(_ series: Series, metrics: DocketMetrics) {
            let dimensions = series.dimensions
            outcomes = AttemptOutcome.allCases.map { outcome in
                metrics.makeCounter(DocketMetrics.attemptsLabel, dimensions + [("outcome", outcome.dimension)])
            }
            duration = metrics.makeTimer(DocketMetrics.durationLabel, dimensions)
            lateness = metrics.makeTimer(DocketMetrics.latenessLabel, dimensions)
        }

        func count(_ outcome: AttemptOutcome) {
            outcomes[outcome.rawValue].increment()
        }
    }
}
