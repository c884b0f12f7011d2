import Docket
import DocketTesting
import Foundation
import Testing

/// Firings a catch-up policy lets go leave no job behind, so the operator hears of them in the log.
@Suite(.timeLimit(.minutes(1))) struct ScheduleMissedLogTests {
    /// A scheduler logging to `logs`, its clock at 2026-03-02T09:10:00Z, with the hourly schedule
    /// `hourly-report` (catch-up `.latest`) reconciled.
    static func hourlyReport(in directory: URL, logs: LogCapture) async throws -> (JobScheduler, ManualClock) {
        let clock = ManualClock(wallTime: Date(timeIntervalSince1970: 1_772_442_600))
        var configuration = SchedulerConfiguration.testing(clock: clock)
        configuration.logger = logs.logger
        let scheduler = try JobScheduler(path: directory.appendingPathComponent("j.docket").path, configuration: configuration)
        try scheduler.declareSchedules([Schedule("hourly-report", .cron("0 * * * *"), jobName: "report", catchUp: .latest)])
        try await scheduler.reconcileDeclaredSchedulesNow()
        return (scheduler, clock)
    }

    @Test func missedFiringsAreLoggedWithTheScheduleAndTheirCount() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("missed-log-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logs = LogCapture()
        let (scheduler, clock) = try await Self.hourlyReport(in: directory, logs: logs)
        clock.advance(by: .seconds(3 * 3600))
        let created = try await scheduler.fireDueSchedules()
        #expect(created.count == 1)
        let record = await logs.record(containing: "docket missed firings of a schedule")
        #expect(record.level == .warning)
        #expect(record.text.contains("hourly-report") && record.text.contains("docket.missed=2"), "\(record.text)")
        await scheduler.close()
    }

    @Test func onTimeFiringsLogNoMiss() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("missed-log-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logs = LogCapture()
        let (scheduler, clock) = try await Self.hourlyReport(in: directory, logs: logs)
        clock.advance(by: .seconds(50 * 60))
        #expect(try await scheduler.fireDueSchedules().count == 1)
        #expect(!logs.records.contains { $0.message.contains("missed") })
        await scheduler.close()
    }
}
