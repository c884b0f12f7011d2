import Docket
import DocketTesting
import Foundation
import Testing

/// Schedules fired by the run loop, in virtual time.
@Suite(.timeLimit(.minutes(1)))
struct ScheduleRunTests {
    @Test func theRunLoopFiresADeclaredScheduleOnTimeAndTheJobKnowsItsFiring() async throws {
        let harness = try SchedulerTestHarness()
        let contexts = Recorder<ScheduleFiring?>()
        try harness.scheduler.register(Note.self) { _, context in contexts.append(context.schedule) }
        try harness.scheduler.declareSchedules([
            Schedule("every-minute", .cron("* * * * *"), job: Note(text: "tick"))
        ])
        harness.start()
        try await harness.scheduler.waitUntilRunning()
        // The clock starts at 2026-01-01T00:00:00Z: the first firing is that instant itself.
        let first = await harness.next(.succeeded)
        harness.clock.advance(by: .seconds(60))
        let second = await harness.next(.succeeded)
        #expect(first != nil && second != nil)
        try await harness.stop()
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(contexts.all == [
            ScheduleFiring(scheduleName: "every-minute", firedAt: start),
            ScheduleFiring(scheduleName: "every-minute", firedAt: start.addingTimeInterval(60)),
        ])
        let schedule = try #require(try await harness.scheduler.schedule(named: "every-minute"))
        #expect(schedule.fired == 2)
        #expect(schedule.nextFiring == start.addingTimeInterval(120))
    }

    @Test func aScheduleCreatedWhileRunningFiresWithoutWaitingForAPoll() async throws {
        let harness = try SchedulerTestHarness { $0.pollInterval = .seconds(3600) }
        try harness.scheduler.register(Note.self) { _, _ in }
        harness.start()
        try await harness.scheduler.waitUntilRunning()
        try await harness.scheduler.createSchedule(Schedule("every-5s", .every(.seconds(5)), job: Note(text: "x")))
        // Anchored at creation: the first firing is 5 s later.
        harness.clock.advance(by: .seconds(5))
        let done = await harness.next(.succeeded)
        #expect(done != nil)
        try await harness.stop()
    }

    @Test func waitHoldsTheNextFiringUntilThePreviousJobEnds() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        let started = Recorder<Date>()
        try harness.scheduler.register(Note.self) { _, context in
            started.append(context.schedule?.firedAt ?? .distantPast)
            if started.all.count == 1 { await gate.wait() }
        }
        try harness.scheduler.declareSchedules([
            Schedule("slow", .cron("* * * * *"), job: Note(text: "slow"), overlap: .wait)
        ])
        harness.start()
        try await harness.scheduler.waitUntilRunning()
        _ = await harness.next(.started)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let scheduler = harness.scheduler
        // Three firings while the first job runs: the first is held, the next two are skipped.
        harness.clock.advance(by: .seconds(60))
        try await eventually { try await scheduler.schedule(named: "slow")?.heldFiring == start.addingTimeInterval(60) }
        for skipped in 1...2 {
            harness.clock.advance(by: .seconds(60))
            try await eventually { try await scheduler.schedule(named: "slow")?.skipped == skipped }
        }
        gate.open()
        _ = await harness.next(.succeeded)
        let second = await harness.next(.succeeded)
        #expect(second != nil)
        try await harness.stop()
        #expect(started.all == [start, start.addingTimeInterval(60)])
        let schedule = try #require(try await harness.scheduler.schedule(named: "slow"))
        #expect(schedule.skipped == 2)
        #expect(schedule.heldFiring == nil)
        #expect(schedule.fired == 2)
    }
}
