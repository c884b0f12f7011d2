import Docket
import DocketTesting
import Foundation
import MetricsTestKit
import Testing

/// `DocketMetrics`, with a `TestMetrics` factory of each test's own, so that no test touches the
/// process's global metrics system.
@Suite(.timeLimit(.minutes(1)))
struct MetricsTests {
    private struct MailerDown: Error {}

    /// Opens `gate` once the rest of the chain has returned or thrown: metrics, inside it, are
    /// recorded by then.
    private struct Signalling: JobMiddleware {
        let gate: Gate
        func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
            defer { gate.open() }
            try await next(attempt.context)
        }
    }

    private static func harness(_ metrics: TestMetrics, before: [any JobMiddleware] = []) throws -> SchedulerTestHarness {
        try SchedulerTestHarness { $0.middleware = before + [DocketMetrics(factory: metrics)] }
    }

    private static func attempts(_ metrics: TestMetrics, _ outcome: String, queue: String = "default") throws -> Int64 {
        try metrics.expectCounter(
            DocketMetrics.attemptsLabel, [("name", Note.jobName), ("queue", queue), ("outcome", outcome)]
        ).totalValue
    }

    @Test func outcomesAreCountedByNameQueueAndOutcome() async throws {
        let metrics = TestMetrics()
        let harness = try Self.harness(metrics)
        try harness.scheduler.register(Note.self) { note, _ in
            switch note.text {
            case "fail": throw MailerDown()
            case "snooze": throw JobControl.snooze(.seconds(60))
            case "discard": throw JobControl.discard(reason: "no such user")
            default: break
            }
        }
        for text in ["ok", "ok", "fail", "snooze", "discard"] {
            _ = try await harness.note(text, options: JobOptions(queue: "mail"))
        }
        _ = try await harness.scheduler.schedule(name: Note.jobName, payload: Array("not json".utf8))

        _ = try await harness.scheduler.drainDueJobs()
        #expect(try Self.attempts(metrics, "succeeded", queue: "mail") == 2)
        #expect(try Self.attempts(metrics, "failed", queue: "mail") == 1)
        #expect(try Self.attempts(metrics, "snoozed", queue: "mail") == 1)
        #expect(try Self.attempts(metrics, "discarded", queue: "mail") == 1)
        #expect(try Self.attempts(metrics, "discarded") == 1)
        #expect(try Self.attempts(metrics, "succeeded") == 0)
        #expect(metrics.counterTotal(label: DocketMetrics.attemptsLabel, dimensions: []) == 6)
        // Only the name, the queue and the outcome: never a job id.
        let keys = Set(metrics.counters(label: DocketMetrics.attemptsLabel, dimensions: []).flatMap { $0.dimensions.map(\.0) })
        #expect(keys == ["name", "queue", "outcome"])
        let durations = try metrics.expectTimer(DocketMetrics.durationLabel, [("name", Note.jobName), ("queue", "mail")])
        #expect(durations.values.count == 5)
    }

    @Test func latenessIsFromTheDueTimeToTheStart() async throws {
        let metrics = TestMetrics()
        let harness = try Self.harness(metrics)
        try harness.scheduler.register(Note.self) { _, _ in }
        _ = try await harness.note("late", .at(harness.clock.wallTime.addingTimeInterval(-2.5)))
        _ = try await harness.note("on time")

        _ = try await harness.scheduler.drainDueJobs()
        let lateness = try metrics.expectTimer(DocketMetrics.latenessLabel, [("name", Note.jobName), ("queue", "default")])
        #expect(lateness.values == [2_500_000_000, 0])
    }

    @Test func anAttemptItsTimeoutEndedCountsAsCancelled() async throws {
        let metrics = TestMetrics()
        let ended = Gate()
        let harness = try Self.harness(metrics, before: [Signalling(gate: ended)])
        let clock = harness.clock
        try harness.scheduler.register(Note.self, options: HandlerOptions(maxAttempts: 1, timeout: .seconds(5))) { _, _ in
            try await clock.sleep(for: .seconds(60))
        }
        let id = try await harness.note("slow")
        harness.start()
        _ = await harness.next(.started, of: id)
        harness.clock.advance(by: .seconds(5))
        _ = await harness.next(.discarded, of: id)
        await ended.wait()
        #expect(try Self.attempts(metrics, "cancelled") == 1)
        #expect(try Self.attempts(metrics, "failed") == 0)
        try await harness.stop()
    }

    @Test func scheduleFiringsAndMissedFiringsAreCounted() async throws {
        let metrics = TestMetrics()
        let harness = try Self.harness(metrics)
        try harness.scheduler.register(Note.self) { _, _ in }
        _ = try await harness.scheduler.createSchedule(
            Schedule("hourly", .every(.seconds(3600)), job: Note(text: "tick"), catchUp: .latest))
        // The firings at 0, 1 h, 2 h and 3 h pass while nothing fires: the latest creates its job,
        // the three before are missed.
        harness.clock.advance(by: .seconds(3 * 3600 + 600))
        #expect(try await harness.scheduler.fireDueSchedules().count == 1)

        let firings = try metrics.expectCounter(DocketMetrics.firingsLabel, [("name", Note.jobName), ("queue", "default")])
        #expect(firings.totalValue == 1)
        #expect(try await harness.scheduler.schedule(named: "hourly")?.missed == 3)
        #expect(try metrics.expectCounter(DocketMetrics.missedLabel).totalValue == 3)
    }
}
