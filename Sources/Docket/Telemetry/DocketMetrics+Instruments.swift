import CoreMetrics
import DocketCore

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
            case JobControl.snooze: self = .snoozed
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
