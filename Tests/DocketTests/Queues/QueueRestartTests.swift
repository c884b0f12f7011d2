import Docket
import DocketTesting
import Foundation
import Testing

/// What the journal keeps of queues across restarts, in virtual time: the rate window (from the
/// starts it kept) and the pause (never undone by a redeclaration).
@Suite(.timeLimit(.minutes(1))) struct QueueRestartTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    /// A scheduler on `path` whose clock starts `offset` seconds after ``start``, declaring `queues`.
    static func scheduler(_ path: String, at offset: TimeInterval, queues: [JobQueue]) throws -> (JobScheduler, ManualClock) {
        let clock = ManualClock(wallTime: start.addingTimeInterval(offset))
        var configuration = SchedulerConfiguration.testing(clock: clock)
        configuration.queues = queues
        let scheduler = try JobScheduler(path: path, configuration: configuration)
        try scheduler.register("call") { _ in }
        return (scheduler, clock)
    }

    static func journal() throws -> (path: String, directory: URL) {
        let directory = try JournalFileTests.temporaryDirectory()
        return (directory.appendingPathComponent("queues.docket").path, directory)
    }

    /// Two starts per minute: two run, the scheduler restarts 30 s later, and the next two wait
    /// until the first two are a minute old, as the starts kept in the journal say.
    @Test func theRateLimitHoldsAcrossARestart() async throws {
        let (path, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        let api = [JobQueue("api", maxConcurrentJobs: 10, rateLimit: .init(starts: 2, per: .seconds(60)))]

        let (first, _) = try Self.scheduler(path, at: 0, queues: api)
        _ = try await first.schedule((0..<5).map { _ in JobRequest(name: "call", options: JobOptions(queue: "api")) })
        let firstEvents = first.events(of: [.succeeded])
        let firstRun = Task { try await first.run() }
        _ = await events(in: firstEvents, count: 2) { _ in true }
        firstRun.cancel()
        try await firstRun.value
        await first.close()

        let (second, clock) = try Self.scheduler(path, at: 30, queues: api)
        let secondEvents = second.events(of: [.succeeded])
        let secondRun = Task { try await second.run() }
        try await second.waitUntilRunning()
        clock.advance(by: .seconds(30))
        _ = await events(in: secondEvents, count: 2) { _ in true }
        clock.advance(by: .seconds(60))
        _ = await events(in: secondEvents, count: 1) { _ in true }
        secondRun.cancel()
        try await secondRun.value

        let jobs = try await second.jobs(in: .completed)
        let starts = jobs.compactMap { $0.attempts.last?.startedAt.timeIntervalSince(Self.start) }.sorted()
        #expect(starts == [0, 0, 60, 60, 120])
        // No window of a minute holds more than two starts.
        for start in starts {
            #expect(starts.filter { $0 >= start && $0 < start + 60 }.count <= 2, "\(starts)")
        }
        await second.close()
    }

    /// A pause set before a restart holds after it, and after redeclarations that change the queue's
    /// limits or leave it out; the paused queue keeps accepting jobs, and a resume lets them run.
    @Test func aPauseHoldsAcrossARestartAndARedeclaration() async throws {
        let (path, directory) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (first, _) = try Self.scheduler(path, at: 0, queues: [JobQueue("mail", maxConcurrentJobs: 4)])
        let paused = try await first.pauseQueue("mail", note: "provider outage")
        #expect(paused.isPaused && paused.pauseNote == "provider outage" && paused.pausedAt == Self.start)
        await first.close()

        // Redeclared with another limit, and restarted.
        let (second, _) = try Self.scheduler(path, at: 60, queues: [JobQueue("mail", maxConcurrentJobs: 8)])
        let held = try await second.schedule([JobRequest(name: "call", options: JobOptions(queue: "mail"))])
        let other = try await second.schedule([JobRequest(name: "call", options: JobOptions(queue: "other"))])
        let secondEvents = second.events(of: [.succeeded])
        let secondRun = Task { try await second.run() }
        // Both were due for the same claim: only the unpaused queue's job ran.
        _ = await firstEvent(in: secondEvents) { $0.jobID == other[0].id }
        #expect(try await second.job(held[0].id)?.state == .scheduled)
        let listed = try #require(try await second.queues().first { $0.name == "mail" })
        #expect(listed.isPaused && listed.maxConcurrentJobs == 8 && listed.scheduled == 1)
        secondRun.cancel()
        try await secondRun.value
        await second.close()

        // Declared no more: the queue loses its limits, keeps its pause.
        let (third, _) = try Self.scheduler(path, at: 120, queues: [])
        let thirdEvents = third.events(of: [.succeeded])
        let thirdRun = Task { try await third.run() }
        try await third.waitUntilRunning()
        let forgotten = try #require(try await third.queues().first { $0.name == "mail" })
        #expect(forgotten.isPaused && !forgotten.isDeclared && forgotten.maxConcurrentJobs == nil)
        #expect(try await third.job(held[0].id)?.state == .scheduled)
        let resumed = try await third.resumeQueue("mail")
        #expect(!resumed.isPaused && resumed.pauseNote == nil)
        _ = await firstEvent(in: thirdEvents) { $0.jobID == held[0].id }
        thirdRun.cancel()
        try await thirdRun.value
        await third.close()
    }
}
