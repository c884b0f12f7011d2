import Docket
import DocketCore
import DocketTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct CommandTests {
    @Test func cancelStopsAScheduledJobAndRefusesOtherStates() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let id = try await harness.note("x", .after(.seconds(60)))
        harness.start()
        try await harness.scheduler.cancel(id)
        #expect(try await harness.scheduler.job(id)?.state == .cancelled)
        await #expect(throws: DocketError.self) { try await harness.scheduler.cancel(id) }
        do {
            try await harness.scheduler.runNow(id)
            Issue.record("run now of a cancelled job must fail")
        } catch {
            guard case .jobNotScheduled(let failed, let state) = error else { throw error }
            #expect(failed == id)
            #expect(state == .cancelled)
        }
        harness.clock.advance(by: .seconds(61))
        let probe = try await harness.note("probe")
        _ = await harness.next(.succeeded, of: probe)
        #expect(!harness.seen.contains { $0.jobID == id && $0.kind == .started })
        try await harness.stop()
    }

    @Test func runNowAndRescheduleMoveAScheduledJob() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let soon = try await harness.note("soon", .after(.seconds(3600)))
        let moved = try await harness.note("moved", .after(.seconds(3600)))
        harness.start()
        try await harness.scheduler.runNow(soon)
        _ = await harness.next(.succeeded, of: soon)
        try await harness.scheduler.reschedule(moved, to: .after(.seconds(10)))
        #expect(try await harness.scheduler.job(moved)?.runAt == (harness.clock.wallTimestamp + .seconds(10)).date)
        harness.clock.advance(by: .seconds(10))
        _ = await harness.next(.succeeded, of: moved)
        await #expect(throws: DocketError.self) { try await harness.scheduler.reschedule(moved, to: .now) }
        try await harness.stop()
    }

    @Test func commandsOnUnknownJobsSayNotFound() async throws {
        let harness = try SchedulerTestHarness()
        let unknown = JobID(987_654)
        let scheduler = harness.scheduler
        let commands: [@Sendable () async throws -> Void] = [
            { try await scheduler.cancel(unknown) },
            { try await scheduler.runNow(unknown) },
            { try await scheduler.reschedule(unknown, to: .after(.seconds(1))) },
        ]
        for command in commands {
            do {
                try await command()
                Issue.record("a command on an unknown id must fail")
            } catch DocketError.jobNotFound(let id) {
                #expect(id == unknown)
            }
        }
        #expect(try await harness.scheduler.job(unknown) == nil)
    }

    @Test func uniqueKeysReturnTheHolder() async throws {
        let harness = try SchedulerTestHarness()
        let first = try await harness.scheduler.schedule(Note(text: "a"), .after(.seconds(5)), options: JobOptions(uniqueKey: "k"))
        let second = try await harness.scheduler.schedule(Note(text: "b"), options: JobOptions(uniqueKey: "k"))
        #expect(!first.isDuplicate)
        #expect(second.isDuplicate)
        #expect(second.id == first.id)
        #expect(try await harness.scheduler.counts()[.scheduled] == 1)
    }

    @Test func aBatchIsAllOrNothing() async throws {
        let harness = try SchedulerTestHarness()
        await #expect(throws: DocketError.self) {
            try await harness.scheduler.schedule([
                JobRequest(Note(text: "fine")),
                JobRequest(Note(text: "bad"), options: JobOptions(priority: 42)),
            ])
        }
        #expect(try await harness.scheduler.counts().total == 0)
        let ids = try await harness.scheduler.schedule((0..<50).map { JobRequest(Note(text: "\($0)")) }).map(\.id)
        #expect(Set(ids).count == 50)
    }

    @Test func badInputGetsTypedErrors() async throws {
        let harness = try SchedulerTestHarness()
        let cases: [(JobTiming, JobOptions, String)] = [
            (.after("5x"), JobOptions(), "invalid delay"),
            (.after(.seconds(-5)), JobOptions(), "negative"),
            (.now, JobOptions(priority: -1), "priority"),
            (.now, JobOptions(maxAttempts: 0), "max attempts"),
            (.now, JobOptions(uniqueKey: ""), "unique key"),
            (.now, JobOptions(timeout: .zero), "timeout"),
        ]
        for (timing, options, words) in cases {
            do {
                try await harness.scheduler.schedule(Note(text: "x"), timing, options: options)
                Issue.record("expected an error mentioning \(words)")
            } catch {
                #expect(error.description.contains(words), "\(error)")
            }
        }
        await #expect(throws: DocketError.self) { try await harness.scheduler.schedule(name: "") }
        #expect(try await harness.scheduler.counts().total == 0)
    }

    @Test func registeringANameTwiceIsAnError() throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        #expect(throws: DocketError.self) { try harness.scheduler.register("note") { _ in } }
    }

    @Test func aPayloadOverTheLimitIsRefusedWithBothSizes() async throws {
        let harness = try SchedulerTestHarness { $0.maxPayloadBytes = 100 }
        do {
            try await harness.scheduler.schedule(name: "big", payload: Array(repeating: 7, count: 101))
            Issue.record("an oversized payload must be refused")
        } catch {
            #expect(error.description.contains("101"))
            #expect(error.description.contains("100"))
        }
    }
}
