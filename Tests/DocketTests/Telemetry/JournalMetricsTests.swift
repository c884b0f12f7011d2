import Docket
import DocketTesting
import Foundation
import MetricsTestKit
import Testing

/// The journal's metrics: `docket.pruned` per state, and the `docket.jobs` gauges a running
/// scheduler reads every `countsInterval`.
@Suite(.timeLimit(.minutes(1)))
struct JournalMetricsTests {
    @Test func prunedJobsAreCountedByState() async throws {
        let metrics = TestMetrics()
        let harness = try SchedulerTestHarness { $0.middleware = [DocketMetrics(factory: metrics)] }
        try harness.scheduler.register(Note.self, options: HandlerOptions(maxAttempts: 1)) { note, _ in
            if note.text == "fail" { throw JobControl.discard(reason: "test") }
        }
        for text in ["ok", "ok", "fail"] { _ = try await harness.note(text) }
        let cancelled = try await harness.note("later", .after(.seconds(3_600)))
        try await harness.scheduler.cancel(cancelled)
        _ = try await harness.scheduler.drainDueJobs()
        // The newest job is always kept: park one after the rest.
        _ = try await harness.note("parked", .after(.seconds(365 * 86_400)))
        harness.clock.advance(by: .seconds(8 * 86_400))

        let report = try await harness.scheduler.prune()
        #expect(report.total == 4)
        #expect(try metrics.expectCounter(DocketMetrics.prunedLabel, [("state", "completed")]).totalValue == 2)
        #expect(try metrics.expectCounter(DocketMetrics.prunedLabel, [("state", "cancelled")]).totalValue == 1)
        #expect(try metrics.expectCounter(DocketMetrics.prunedLabel, [("state", "discarded")]).totalValue == 1)
        #expect(try await harness.scheduler.prune().total == 0)
        #expect(try metrics.expectCounter(DocketMetrics.prunedLabel, [("state", "completed")]).totalValue == 2)
    }

    @Test func aRunningSchedulerGaugesItsJobsPerState() async throws {
        let metrics = TestMetrics()
        let harness = try SchedulerTestHarness {
            $0.middleware = [DocketMetrics(factory: metrics, countsInterval: .seconds(5))]
        }
        try harness.scheduler.register(Note.self) { _, _ in }
        _ = try await harness.note("parked", .after(.seconds(3_600)))
        _ = try await harness.note("parked", .after(.seconds(3_600)))
        let done = try await harness.note("now")
        harness.start()
        _ = await harness.next(.succeeded, of: done)

        // Each step is a reading interval of the manual clock; the loop reads the counts at its next
        // look. Waits only for the loop to get there, bounded against a hang.
        var seen: (scheduled: Double?, completed: Double?) = (nil, nil)
        for _ in 0..<3_000 where seen != (2, 1) {
            harness.clock.advance(by: .seconds(5))
            try await Task.sleep(for: .milliseconds(2))
            seen = (
                try? metrics.expectGauge(DocketMetrics.jobsLabel, [("state", "scheduled")]).lastValue,
                try? metrics.expectGauge(DocketMetrics.jobsLabel, [("state", "completed")]).lastValue
            )
        }
        #expect(seen == (2, 1))
        #expect(try metrics.expectGauge(DocketMetrics.jobsLabel, [("state", "running")]).lastValue == 0)
        #expect(try metrics.expectGauge(DocketMetrics.jobsLabel, [("state", "discarded")]).lastValue == 0)
        let keys = Set(metrics.recorders.filter { $0.label == DocketMetrics.jobsLabel }.flatMap { $0.dimensions.map(\.0) })
        #expect(keys == ["state"])
        try await harness.stop()
    }
}
