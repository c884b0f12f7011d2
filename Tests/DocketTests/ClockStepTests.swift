import Docket
import DocketTesting
import Foundation
import Testing

/// Under any sequence of wall-clock steps, no due job waits longer than the poll interval: the loop
/// sleeps on the monotonic clock and never longer than that interval.
@Suite(.timeLimit(.minutes(1)))
struct ClockStepTests {
    @Test func overdueJobsRunWithinThePollIntervalAfterTheClockStepsBackThenForward() async throws {
        let pair = try OtherProcessTests.Pair()
        let ran = Recorder<String>()
        try pair.runner.register(Note.self) { note, _ in ran.append(note.text) }
        // Jobs due every 0.2 s for 10 s.
        _ = try await pair.runner.schedule((1...50).map { JobRequest(Note(text: "\($0)"), .after(.milliseconds(200 * $0))) })
        let task = Task { try await pair.runner.run() }
        try await pair.runner.waitUntilRunning()
        var succeeded = pair.runner.events(of: [.succeeded])
        pair.clock.advance(by: .seconds(1))
        _ = await events(in: succeeded, count: 5) { _ in true }

        pair.clock.jumpWallClock(by: .seconds(-3600))
        // While the wall clock is an hour behind, another process schedules a job due now (its now).
        succeeded = pair.runner.events(of: [.succeeded])
        let elsewhere = try await pair.other.schedule(Note(text: "elsewhere")).id
        pair.clock.advance(by: .milliseconds(50))
        #expect(await firstEvent(in: succeeded) { $0.jobID == elsewhere } != nil)
        pair.clock.advance(by: .milliseconds(1950))

        // Two hours forward: the 45 jobs left are overdue and run within one poll interval.
        succeeded = pair.runner.events(of: [.succeeded])
        pair.clock.jumpWallClock(by: .seconds(7200))
        pair.clock.advance(by: SchedulerConfiguration().pollInterval)
        _ = await events(in: succeeded, count: 45) { _ in true }
        #expect(Set(ran.all) == Set((1...50).map { "\($0)" } + ["elsewhere"]))
        #expect(ran.all.count == 51)
        await pair.runner.shutdown()
        try await task.value
        await pair.close()
    }

    @Test func aJobClaimedAheadStartsOnTheMonotonicClockWhenTheWallClockStepsBack() async throws {
        let harness = try SchedulerTestHarness { $0.claimAhead = .seconds(5) }
        try harness.scheduler.register(Note.self) { _, _ in }
        let succeeded = harness.scheduler.events(of: [.succeeded])
        let id = try await harness.note("soon", .after(.seconds(2)))
        harness.start()
        try await harness.scheduler.waitUntilRunning()
        // Claimed ahead: running in the journal, waiting for its time in memory.
        while try await harness.scheduler.counts()[.running] != 1 { await Task.yield() }
        harness.clock.jumpWallClock(by: .seconds(-3600))
        harness.clock.advance(by: .seconds(2))
        #expect(await firstEvent(in: succeeded) { $0.jobID == id } != nil)
        try await harness.stop()
    }
}
