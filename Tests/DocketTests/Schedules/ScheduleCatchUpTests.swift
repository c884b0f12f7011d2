import Docket
import DocketTesting
import Foundation
import Testing

/// A journal whose hourly schedule was last run at 09:10 and is opened again at 12:10, in virtual
/// time: each catch-up policy, through the journal and the API.
@Suite struct ScheduleCatchUpTests {
    /// 2026-03-02T00:00:00Z.
    static let day = Date(timeIntervalSince1970: 1_772_409_600)

    static func at(_ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
        day.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60 + second))
    }

    /// A scheduler on the journal at `path` whose clocks start at `wallTime`.
    static func scheduler(path: String, at wallTime: Date) throws -> JobScheduler {
        let clock = ManualClock(wallTime: wallTime)
        return try JobScheduler(path: path, configuration: .testing(clock: clock))
    }

    static func hourly(_ catchUp: CatchUpPolicy, overlap: OverlapPolicy = .allow) -> Schedule {
        Schedule("hourly-sync", .cron("0 * * * *"), job: Note(text: "sync"), overlap: overlap, catchUp: catchUp)
    }

    /// Runs the 09:10 process and the 12:10 one; returns the firings of the jobs created at 12:10 and
    /// the schedule as the journal then holds it.
    static func downFrom0910To1210(_ catchUp: CatchUpPolicy) async throws -> (firings: [Date], schedule: ScheduleInfo) {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("catch-up.docket").path
        let before = try scheduler(path: path, at: at(9, 10))
        try before.declareSchedules([hourly(catchUp)])
        try await before.reconcileDeclaredSchedulesNow()
        #expect(try await before.fireDueSchedules().isEmpty)
        #expect(try await before.schedule(named: "hourly-sync")?.nextFiring == at(10))
        await before.close()

        let after = try scheduler(path: path, at: at(12, 10))
        try after.declareSchedules([hourly(catchUp)])
        try await after.reconcileDeclaredSchedulesNow()
        let created = try await after.fireDueSchedules()
        var firings: [Date] = []
        for id in created {
            let job = try #require(try await after.job(id))
            #expect(job.schedule?.scheduleName == "hourly-sync")
            #expect(job.runAt == job.schedule?.firedAt)
            firings.append(try #require(job.schedule?.firedAt))
        }
        let schedule = try #require(try await after.schedule(named: "hourly-sync"))
        // A second pass at the same time finds nothing due: each firing creates its job once.
        #expect(try await after.fireDueSchedules().isEmpty)
        await after.close()
        return (firings, schedule)
    }

    @Test func noneCreatesNothingAndCountsThreeMissed() async throws {
        let (firings, schedule) = try await Self.downFrom0910To1210(.none)
        #expect(firings.isEmpty)
        #expect(schedule.missed == 3)
        #expect(schedule.nextFiring == Self.at(13))
    }

    @Test func latestCreatesOneJobForTwelveOClock() async throws {
        let (firings, schedule) = try await Self.downFrom0910To1210(.latest)
        #expect(firings == [Self.at(12)])
        #expect(schedule.missed == 2)
        #expect(schedule.fired == 1)
        #expect(schedule.nextFiring == Self.at(13))
    }

    @Test func allCreatesJobsForTenElevenAndTwelve() async throws {
        let (firings, schedule) = try await Self.downFrom0910To1210(.all(limit: 100))
        #expect(firings == [Self.at(10), Self.at(11), Self.at(12)])
        #expect(schedule.missed == 0)
        #expect(schedule.fired == 3)
        #expect(schedule.nextFiring == Self.at(13))
    }

    @Test func latestIsTheDefault() {
        let schedule = Schedule("s", .cron("@hourly"), jobName: "note")
        #expect(schedule.catchUp == .latest)
        #expect(schedule.overlap == .allow)
    }
}

/// Held firings beyond one pass: the schedules still waiting for their job do not crowd out the one
/// whose job has ended.
@Suite(.timeLimit(.minutes(1))) struct ScheduleHeldFiringTests {
    @Test func aReleasedFiringFiresWhileMoreThanAPassfulStayHeld() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(wallTime: ScheduleCatchUpTests.at(9, 0, 30))
        let scheduler = try JobScheduler(
            path: directory.appendingPathComponent("held.docket").path, configuration: .testing(clock: clock))
        let names = (0..<300).map { String(format: "wait-%03d", $0) }
        try scheduler.declareSchedules(names.map {
            Schedule($0, .cron("* * * * *"), job: Note(text: $0), overlap: .wait, catchUp: .latest)
        })
        try await scheduler.reconcileDeclaredSchedulesNow()
        clock.advance(by: .seconds(30))
        let first = try await scheduler.fireDueSchedules()
        #expect(first.count == names.count)
        clock.advance(by: .seconds(60))
        #expect(try await scheduler.fireDueSchedules().isEmpty)
        let last = try #require(try await scheduler.schedule(named: "wait-299"))
        #expect(last.heldFiring == ScheduleCatchUpTests.at(9, 2))

        let lastJob = try #require(try await first.asyncFirst {  try await scheduler.job($0)?.schedule?.scheduleName == "wait-299" })
        try await scheduler.cancel(lastJob)
        let released = try await scheduler.fireDueSchedules()
        #expect(released.count == 1)
        let releasedID = try #require(released.first)
        let job = try #require(try await scheduler.job(releasedID))
        #expect(job.schedule?.scheduleName == "wait-299")
        #expect(job.schedule?.firedAt == ScheduleCatchUpTests.at(9, 2))
        #expect(try await scheduler.schedule(named: "wait-000")?.heldFiring == ScheduleCatchUpTests.at(9, 2))
        await scheduler.close()
    }
}

extension Array {
    fileprivate func asyncFirst(where predicate: (Element) async throws -> Bool) async rethrows -> Element? {
        for element in self where try await predicate(element) { return element }
        return nil
    }
}
