import DocketCore
import DocketSQLite
import DocketTesting
import Docket
import Foundation
import ProcessSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The leader of a journal's runners: one at a time, replaced at the next safety poll of a
/// survivor when it dies (SIGKILL of a real child process), and schedule firings that stay exactly
/// once even when two processes both fire.
@Suite(.timeLimit(.minutes(2)))
struct LeadershipTests {
    @Test func twoLiveSchedulersNeverBothLeadAndTheSurvivorTakesOver() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("two.docket").path
        var configuration = SchedulerConfiguration()
        configuration.pollInterval = .milliseconds(10)
        let first = try JobScheduler(path: path, configuration: configuration)
        let second = try JobScheduler(path: path, configuration: configuration)
        let runFirst = Task { try await first.run() }
        let runSecond = Task { try await second.run() }
        try await first.waitUntilRunning()
        try await second.waitUntilRunning()
        // Each decided at its start, and each safety poll asks again: over many polls, one leads.
        for _ in 0..<50 {
            #expect(first.leads != second.leads)
            try await Task.sleep(for: .milliseconds(2))
        }
        let (leader, follower, runLeader) = first.leads ? (first, second, runFirst) : (second, first, runSecond)
        await leader.shutdown()
        try await runLeader.value
        #expect(!leader.leads)
        while !follower.leads { try await Task.sleep(for: .milliseconds(2)) }
        await follower.shutdown()
        try await runFirst.value
        try await runSecond.value
        await first.close()
        await second.close()
    }

    /// A follower leaves a schedule that is due by its clock, and a job its retention would prune,
    /// to the leader (whose clock says the schedule is not due, and whose retention keeps every job),
    /// and fires and prunes them once the leader has stopped, at its next safety poll.
    @Test func aFollowerLeavesFiringAndPruningToTheLeaderUntilItStops() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("follow.docket").path
        let wallTime = Date(timeIntervalSince1970: 1_767_225_600)
        // A job that completed two days before the follower's clock: past its 24-hour retention.
        let setup = try JobScheduler(path: path, configuration: .testing(clock: ManualClock(wallTime: wallTime.addingTimeInterval(-2 * 86_400))))
        try setup.register("old") { _ in }
        let old = try await setup.schedule(name: "old").id
        #expect(try await setup.drainDueJobs().succeeded == 1)
        // Pruning keeps the newest job whatever its age: a later one makes the old one prunable.
        _ = try await setup.schedule(name: "later", .after(.seconds(86_400 * 365)))
        await setup.close()

        let leaderClock = ManualClock(wallTime: wallTime.addingTimeInterval(-10 * 365 * 86_400))
        var leaderConfiguration = SchedulerConfiguration.testing(clock: leaderClock)
        leaderConfiguration.retention = .forever
        let leader = try JobScheduler(path: path, configuration: leaderConfiguration)
        let runLeader = Task { try await leader.run() }
        try await leader.waitUntilRunning()
        #expect(leader.leads)

        let clock = ManualClock(wallTime: wallTime)
        let follower = try JobScheduler(path: path, configuration: .testing(clock: clock))
        try follower.register("fire.tick") { _ in }
        try follower.declareSchedules([Schedule("hourly", .every(.seconds(3_600)), jobName: "fire.tick")])
        let leadsAtFiring = Task { () -> Bool? in
            for await event in follower.events(of: [.scheduled]) where event.jobName == "fire.tick" {
                return follower.leads
            }
            return nil
        }
        let leadsAtPruning = Task { () -> Bool? in
            for await event in follower.events(of: [.pruned]) where event.jobID == old { return follower.leads }
            return nil
        }
        let runFollower = Task { try await follower.run() }
        try await follower.waitUntilRunning()
        #expect(!follower.leads)
        let first = try #require(try await follower.schedule(named: "hourly")?.nextFiring)

        // Due by the follower's clock. Two safety polls' answers after the move: the loop has looked
        // at the due schedule at least once since. Under the manual clock a poll needs a move, and a
        // poll asks only when no question is in flight, so the clock moves a poll interval at a time
        // until two more answers came.
        let checks = follower.leadershipChecks
        clock.advance(by: .seconds(max(1, Int64(first.timeIntervalSince(clock.wallTime).rounded(.up)))))
        while follower.leadershipChecks < checks + 2 {
            try await Task.sleep(for: .milliseconds(1))
            clock.advance(by: .seconds(1))
        }
        #expect(!follower.leads)
        #expect(try await follower.schedule(named: "hourly")?.fired == 0)
        #expect(try await follower.job(old)?.state == .completed)

        await leader.shutdown()
        try await runLeader.value
        #expect(!leader.leads)
        // A poll asks only when no question is in flight, and one asked before the leader stopped
        // answers no: the clock moves a poll interval at a time until a poll takes over.
        while !follower.leads {
            clock.advance(by: .seconds(1))
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(await leadsAtFiring.value == true)
        #expect(try await follower.schedule(named: "hourly")?.fired == 1)
        #expect(await leadsAtPruning.value == true)
        #expect(try await follower.job(old) == nil)
        await follower.shutdown()
        try await runFollower.value
        await follower.close()
        await leader.close()
    }

    /// A leader child is killed with SIGKILL; the scheduler of this process, which followed it, takes
    /// over at its next safety poll and fires the schedule that has come due.
    @Test func aKilledLeadersSuccessorFiresTheSchedules() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("handover.docket").path
        let child = try LeaderChild(journal: path, arguments: ["--mode", "lead", "--poll-ms", "20"])
        #expect(await child.next() == "leads")

        // Ten years ahead of the child's clock: nothing it reads is ever due for it.
        let wallTime = (Date().timeIntervalSince1970 + 10 * 365 * 86_400).rounded()
        let clock = ManualClock(wallTime: Date(timeIntervalSince1970: wallTime))
        let scheduler = try JobScheduler(path: path, configuration: .testing(clock: clock))
        try scheduler.register("fire.tick") { _ in }
        try scheduler.declareSchedules([Schedule("hourly", .every(.seconds(3_600)), jobName: "fire.tick")])
        let leadsAtFiring = Task { () -> Bool? in
            for await event in scheduler.events(of: [.scheduled]) where event.jobName == "fire.tick" {
                return scheduler.leads
            }
            return nil
        }
        let running = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        #expect(!scheduler.leads)
        let first = try #require(try await scheduler.schedule(named: "hourly")?.nextFiring)

        child.sigkill()
        // The clock's move wakes the loop: a safety poll finds the leadership free and takes it, and
        // the new leader's firing pass fires the schedule, once.
        clock.advance(by: .seconds(max(1, Int64(first.timeIntervalSince(clock.wallTime).rounded(.up)))))
        // A question asked before the kill answers no, and a poll asks only when none is in flight:
        // the clock moves a poll interval at a time until a poll takes over.
        while !scheduler.leads {
            clock.advance(by: .seconds(1))
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(await leadsAtFiring.value == true)
        let info = try #require(try await scheduler.schedule(named: "hourly"))
        #expect(info.fired == 1, "\(info)")
        await scheduler.shutdown()
        try await running.value
        await scheduler.close()
    }

    /// Two processes that both act as leader fire the same schedules, many firings each: every
    /// firing is enqueued once, none is lost, and each process did fire some.
    @Test func twoProcessesThatBothLeadFireEachFiringOnce() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fire.docket").path
        // The journal and its schedules exist before the children race to fire them.
        let setup = try JobScheduler(path: path)
        await setup.close()
        let origin = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let arguments = [
            "--mode", "fire", "--assume-leadership", "--origin", "\(origin)", "--speed", "50", "--schedules", "4",
            "--until", "150",
        ]
        let children = try (0..<2).map { _ in try LeaderChild(journal: path, arguments: arguments) }
        var created: [Int] = []
        for child in children {
            var lines: [String] = []
            while let line = await child.next() { lines.append(line) }
            #expect(child.exitStatus() == 0, "\(lines)")
            #expect(lines.last == "done", "\(lines)")
            created.append(lines.compactMap { $0.hasPrefix("created ") ? Int($0.dropFirst(8)) : nil }.first ?? -1)
        }
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
        // Every job, whatever its state: the last child to stop may fire after its last look.
        var jobs: [JobRecord] = []
        for state in JobState.allCases {
            var last: JobID?
            while true {
                let page = try await journal.jobs(in: state, after: last, limit: 1_000)
                jobs += page
                last = page.last?.id
                if page.count < 1_000 { break }
            }
        }
        #expect(try await journal.countsByState().values.reduce(0, +) == jobs.count)
        let bySchedule = Dictionary(grouping: jobs) { $0.origin?.schedule ?? "none" }
        #expect(Set(bySchedule.keys) == Set((0..<4).map { "fire.\($0)" }))
        for (name, scheduleJobs) in bySchedule {
            let firings = scheduleJobs.compactMap { $0.origin?.firing }.sorted()
            #expect(Set(firings).count == firings.count, "\(name): a firing was enqueued twice")
            // Every second from the first firing to the last, each once.
            let gaps = zip(firings, firings.dropFirst()).filter { $1.duration(since: $0) != .seconds(1) }
            #expect(gaps.isEmpty, "\(name): firings missing or repeated at \(gaps.prefix(3))")
            #expect(firings.count >= 150)
            #expect(try await journal.schedule(named: name)?.fired == firings.count)
        }
        // The race happened: each process's firing passes created jobs. (A pass that ends as its
        // scheduler stops creates its jobs without their events, so the sum may fall short.)
        #expect(created.allSatisfy { $0 > 0 }, "\(created)")
        #expect(created.reduce(0, +) <= jobs.count, "\(created)")
        await journal.close()
    }
}

/// A `DocketCrashChild` in one of its leadership modes, its output read line by line as it comes.
/// Used by one test task at a time.
final class LeaderChild {
    private let process: Process
    private var lines: AsyncStream<String>.Iterator

    init(journal: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = CrashChildProcess.executable
        process.arguments = ["--journal", journal] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        let (lines, continuation) = AsyncStream<String>.makeStream()
        try process.run()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            forEachLine(in: handle) { continuation.yield($0) }
            continuation.finish()
        }
        self.process = process
        self.lines = lines.makeAsyncIterator()
    }

    /// The next line, nil once the child has closed its output.
    func next() async -> String? {
        var iterator = lines
        let line = await iterator.next()
        lines = iterator
        return line
    }

    /// Kills the child with SIGKILL and waits for it to be gone: its locks are released then.
    func sigkill() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func exitStatus() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { sigkill() }
    }
}
