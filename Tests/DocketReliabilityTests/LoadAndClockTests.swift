import Docket
import DocketCore
import DocketTesting
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2)))
struct LoadAndClockTests {
    /// 10,000 jobs due at the same instant all complete, each exactly once.
    @Test func tenThousandJobsDueAtOnceEachRunOnce() async throws {
        let harness = try SchedulerTestHarness()
        let ran = Recorder<Int>()
        try harness.scheduler.register(Note.self) { note, _ in ran.append(Int(note.text) ?? -1) }
        let count = 10_000
        let ids = try await harness.scheduler.schedule(
            (0..<count).map { JobRequest(Note(text: "\($0)"), .after(.seconds(10))) }).map(\.id)
        let due = try #require(try await harness.scheduler.job(ids[0])?.runAt)
        #expect(try await harness.scheduler.job(ids[count - 1])?.runAt == due)
        harness.start()
        harness.clock.advance(by: .seconds(10))
        var succeeded = 0
        while succeeded < count, await harness.next(.succeeded) != nil { succeeded += 1 }
        #expect(succeeded == count)
        #expect(ran.all.count == count)
        #expect(ran.all.sorted() == Array(0..<count))
        #expect(try await harness.scheduler.counts() == JobCounts(completed: count))
        try await harness.stop()
    }

    /// A job scheduled in the past (even before 1970, or at year 1) keeps that run-at and runs at once, earliest first.
    @Test func jobsScheduledInThePastRunAtOnce() async throws {
        // One slot, so that jobs finish in the order they were claimed.
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        try harness.scheduler.register(Note.self) { _, _ in }
        let dates = [
            harness.clock.wallTime.addingTimeInterval(-60), Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: -2_208_988_800), Date.distantPast,
        ]
        var ids: [JobID] = []
        for date in dates {
            ids.append(try await harness.scheduler.schedule(Note(text: "\(date)"), .at(date)).id)
        }
        for (id, date) in zip(ids, dates) {
            #expect(try await harness.scheduler.job(id)?.runAt == Timestamp(date).date)
        }
        harness.start()
        // Earliest run-at first: the order of the dates reversed.
        var finished: [JobID] = []
        while finished.count < ids.count, let event = await harness.next(.succeeded) { finished.append(event.jobID) }
        #expect(finished == ids.reversed())
        #expect(try await harness.scheduler.counts() == JobCounts(completed: dates.count))
        try await harness.stop()
    }

    /// Wall-clock jumps of a day either way neither time out nor repeat a running attempt: timeouts use the monotonic clock.
    @Test func wallClockJumpsDoNotTimeOutOrRepeatARunningAttempt() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 2 }
        let gate = Gate()
        let runs = Recorder<Int>()
        try harness.scheduler.register("long", options: HandlerOptions(timeout: .seconds(10))) { context in
            runs.append(context.attempt)
            await gate.wait()
        }
        try harness.scheduler.register(Note.self) { _, _ in }
        let long = try await harness.scheduler.schedule(name: "long").id
        harness.start()
        _ = await harness.next(.started, of: long)
        harness.clock.jumpWallClock(by: .seconds(86_400))
        harness.clock.advance(by: .seconds(5))
        harness.clock.jumpWallClock(by: .seconds(-2 * 86_400))
        let probe = try await harness.scheduler.schedule(Note(text: "probe")).id
        _ = await harness.next(.succeeded, of: probe)
        #expect(try await harness.scheduler.job(long)?.state == .running)
        gate.open()
        let done = await harness.next(.succeeded, of: long)
        #expect(done?.attempt == 1)
        #expect(runs.all == [1])
        try await harness.stop()
    }

    /// A forward wall-clock jump runs every job it passes once, in run-at order; later jobs keep waiting.
    @Test func aForwardJumpRunsEveryPassedJobOnceInOrder() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let order = Recorder<Int>()
        try harness.scheduler.register(Note.self) { note, _ in order.append(Int(note.text) ?? -1) }
        for minute in (1...20).reversed() {
            try await harness.scheduler.schedule(Note(text: "\(minute)"), .after(.seconds(Int64(minute) * 60)))
        }
        let beyond = try await harness.scheduler.schedule(Note(text: "beyond"), .after(.seconds(7200))).id
        harness.start()
        harness.clock.jumpWallClock(by: .seconds(3600))
        harness.clock.advance(by: .seconds(1))
        for _ in 1...20 { _ = await harness.next(.succeeded) }
        #expect(order.all == Array(1...20))
        #expect(try await harness.scheduler.job(beyond)?.state == .scheduled)
        try await harness.stop()
    }
}
