import Docket
import DocketTesting
import Foundation
import Testing

/// Declaring, reconciling, creating and changing schedules through the API, in virtual time.
@Suite struct ScheduleManagementTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    static func journal() throws -> (path: String, directory: URL) {
        let directory = try JournalFileTests.temporaryDirectory()
        return (directory.appendingPathComponent("schedules.docket").path, directory)
    }

    static func scheduler(_ path: String, at offset: TimeInterval) throws -> JobScheduler {
        try JobScheduler(path: path, configuration: .testing(clock: ManualClock(wallTime: start.addingTimeInterval(offset))))
    }

    @Test func reconciliationAddsChangesAndMarksRemovedAndKeepsAPause() async throws {
        let (path, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Self.scheduler(path, at: 0)
        try first.declareSchedules([
            Schedule("a", .cron("0 * * * *"), job: Note(text: "a")),
            Schedule("b", .cron("30 * * * *"), job: Note(text: "b")),
        ])
        try await first.reconcileDeclaredSchedulesNow()
        try await first.pauseSchedule(named: "b", note: "maintenance")
        await first.close()

        // Ten minutes later: a changed, b unchanged, c new; then a later run forgets b.
        let second = try Self.scheduler(path, at: 600)
        try second.declareSchedules([
            Schedule("a", .cron("15 * * * *"), job: Note(text: "a")),
            Schedule("b", .cron("30 * * * *"), job: Note(text: "b")),
            Schedule("c", .every(.seconds(90)), job: Note(text: "c")),
        ])
        try await second.reconcileDeclaredSchedulesNow()
        let a = try #require(try await second.schedule(named: "a"))
        #expect(a.recurrence == .cron("15 * * * *"))
        #expect(a.nextFiring == Self.start.addingTimeInterval(900))
        let b = try #require(try await second.schedule(named: "b"))
        #expect(b.isPaused && b.pauseNote == "maintenance")
        let c = try #require(try await second.schedule(named: "c"))
        #expect(c.origin == .declared)
        #expect(c.nextFiring == Self.start.addingTimeInterval(600))
        try second.declareSchedules([Schedule("a", .cron("15 * * * *"), job: Note(text: "a"))])
        try await second.reconcileDeclaredSchedulesNow()
        let names = try await second.schedules().map { ($0.name, $0.removedAt != nil) }
        #expect(names.map(\.0) == ["a", "b", "c"])
        #expect(names.map(\.1) == [false, true, true])
        // Removed schedules do not fire; the paused one stays paused.
        #expect(try await second.fireDueSchedules().isEmpty)
        #expect(try await second.schedule(named: "b")?.isPaused == true)
        await second.close()
    }

    @Test func createdSchedulesAreChangedOnlyThroughTheAPIAndDeclaredOnesOnlyInCode() async throws {
        let scheduler = try JobScheduler.inMemory(configuration: .testing(clock: ManualClock(wallTime: Self.start)))
        try scheduler.declareSchedules([Schedule("declared", .cron("@daily"), job: Note(text: "d"))])
        try await scheduler.reconcileDeclaredSchedulesNow()
        let created = try await scheduler.createSchedule(Schedule("user-7-digest", .cron("0 8 * * *", timeZone: "Europe/London"), job: Note(text: "7")))
        #expect(created.origin == .created)
        #expect(created.nextFiring == Self.start.addingTimeInterval(8 * 3600))
        await #expect(throws: DocketError.self) { try await scheduler.createSchedule(Schedule("declared", .cron("@daily"), jobName: "note")) }
        do {
            try await scheduler.createSchedule(Schedule("user-7-digest", .cron("@daily"), jobName: "note"))
            Issue.record("a taken name must be refused")
        } catch .scheduleExists(let name) { #expect(name == "user-7-digest") }
        do {
            try await scheduler.updateSchedule(Schedule("declared", .cron("@hourly"), jobName: "note"))
            Issue.record("a declared schedule is changed in code only")
        } catch .scheduleDeclaredInCode(let name) { #expect(name == "declared") }
        do {
            try await scheduler.deleteSchedule(named: "nope")
            Issue.record("an unknown name must be refused")
        } catch .scheduleNotFound(let name) { #expect(name == "nope") }
        let updated = try await scheduler.updateSchedule(Schedule("user-7-digest", .cron("0 9 * * *", timeZone: "Europe/London"), job: Note(text: "7")))
        #expect(updated.nextFiring == Self.start.addingTimeInterval(9 * 3600))
        // A redeclaration never touches a created schedule.
        try scheduler.declareSchedules([])
        try await scheduler.reconcileDeclaredSchedulesNow()
        #expect(try await scheduler.schedule(named: "user-7-digest")?.removedAt == nil)
        #expect(try await scheduler.schedule(named: "declared")?.removedAt != nil)
        try await scheduler.deleteSchedule(named: "user-7-digest")
        #expect(try await scheduler.schedule(named: "user-7-digest") == nil)
        await scheduler.close()
    }

    @Test func aDeclaredNameThatACreatedScheduleHoldsStopsRunWithTheName() async throws {
        let harness = try SchedulerTestHarness()
        try await harness.scheduler.createSchedule(Schedule("report", .cron("@daily"), jobName: "note"))
        try harness.scheduler.declareSchedules([Schedule("report", .cron("@hourly"), jobName: "note")])
        do {
            try await harness.scheduler.run()
            Issue.record("run() must refuse to take over a created schedule")
        } catch DocketError.scheduleExists(let name) {
            #expect(name == "report")
        }
    }

    @Test func pauseResumeTriggerAndPreview() async throws {
        let clock = ManualClock(wallTime: Self.start)
        let scheduler = try JobScheduler.inMemory(configuration: .testing(clock: clock))
        try await scheduler.createSchedule(Schedule("hourly", .cron("0 * * * *"), job: Note(text: "h")))
        #expect(try await scheduler.previewSchedule(named: "hourly", count: 3) == [0, 1, 2].map { Self.start.addingTimeInterval(TimeInterval($0 * 3600)) })
        try await scheduler.pauseSchedule(named: "hourly")
        #expect(try await scheduler.fireDueSchedules().isEmpty)
        // A trigger creates one job now, paused or not, and leaves the cursor where it was.
        clock.advance(by: .seconds(3 * 3600 + 600))
        let triggered = try await scheduler.triggerSchedule(named: "hourly")
        let job = try #require(try await scheduler.job(triggered.id))
        #expect(job.schedule == ScheduleFiring(scheduleName: "hourly", firedAt: clock.wallTime))
        #expect(try await scheduler.schedule(named: "hourly")?.nextFiring == Self.start)
        // Resuming restarts from now: the paused hours are not caught up on.
        let resumed = try await scheduler.resumeSchedule(named: "hourly")
        #expect(resumed.nextFiring == Self.start.addingTimeInterval(4 * 3600))
        #expect(resumed.missed == 0)
        #expect(try await scheduler.fireDueSchedules().isEmpty)
        await scheduler.close()
    }

    @Test func badRulesZonesAndOptionsAreRefusedWithTheField() async throws {
        let scheduler = try JobScheduler.inMemory()
        let cases: [(Schedule, DocketError.InvalidInput.Field)] = [
            (Schedule("x", .cron("0 0 30 2 *"), jobName: "note"), .recurrence),
            (Schedule("x", .cron("61 * * * *"), jobName: "note"), .recurrence),
            (Schedule("x", .cron("@daily", timeZone: "Mars/Olympus"), jobName: "note"), .timeZone),
            (Schedule("x", .rrule("FREQ=SOMETIMES"), jobName: "note"), .recurrence),
            (Schedule("x", .rrule("DTSTART;TZID=Europe/London:20260101T090000\nRRULE:FREQ=DAILY", timeZone: "Asia/Kolkata"), jobName: "note"), .timeZone),
            (Schedule("", .cron("@daily"), jobName: "note"), .scheduleName),
            (Schedule("x", .cron("@daily"), jobName: "note", options: JobOptions(uniqueKey: "k")), .uniqueKey),
            (Schedule("x", .cron("@daily"), jobName: "note", catchUp: .all(limit: 0)), .catchUp),
            (Schedule("x", .cron("@daily"), jobName: "note", options: JobOptions(priority: 10)), .priority),
        ]
        for (schedule, field) in cases {
            do {
                try await scheduler.createSchedule(schedule)
                Issue.record("\(schedule.recurrence) must be refused")
            } catch .invalidInput(let input) {
                #expect(input.field == field, "\(input)")
            }
        }
        #expect(throws: DocketError.self) {
            try scheduler.declareSchedules([Schedule("twice", .cron("@daily"), jobName: "note"), Schedule("twice", .cron("@hourly"), jobName: "note")])
        }
        #expect(try await scheduler.schedules().isEmpty)
        await scheduler.close()
    }

    @Test func mergentsScheduleLadderRetriesAtOnceThenAfterFiveSeconds() {
        #expect(RetryStrategy.mergentSchedule == .ladder([.zero, .seconds(5)]))
    }
}
