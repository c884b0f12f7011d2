import Docket
import DocketTesting
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct BusyJournalTests {
    /// A write lock held past the busy timeout: scheduling gets `.storage` of kind `.busy`; outcomes wait; all lands once it is released.
    @Test func aLockHeldElsewhereGivesBusyThenEverythingLands() async throws {
        let directory = try TemporaryDirectory("busy")
        defer { directory.remove() }
        let path = directory.file("busy.docket")
        let logs = LogCapture()
        var configuration = SchedulerConfiguration()
        configuration.busyTimeout = .milliseconds(50)
        configuration.logger = logs.logger
        configuration.pollInterval = .milliseconds(50)
        let scheduler = try JobScheduler(path: path, configuration: configuration)
        let gate = Gate()
        try scheduler.register("work") { _ in await gate.wait() }
        let job = try await scheduler.schedule(name: "work").id
        var events = scheduler.events().makeAsyncIterator()
        let runner = Task { try await scheduler.run() }
        while let event = await events.next(), !(event.kind == .started && event.jobID == job) {}

        let other = try RawDatabase(path: path)
        // The scheduler's poll may be committing a tick right now: wait for it, then hold the lock.
        try other.execute("PRAGMA busy_timeout = 5000")
        try other.execute("BEGIN IMMEDIATE")
        do {
            try await scheduler.schedule(name: "blocked")
            Issue.record("scheduling while another connection holds the lock must fail")
        } catch {
            guard case .storage(let failure) = error else { throw error }
            #expect(failure.kind == .busy)
            #expect(error.description.contains(path) && error.description.contains("raise busyTimeout"), "\(error)")
        }
        #expect(try await scheduler.counts() == JobCounts(running: 1))

        gate.open()
        let waiting = await logs.record(containing: "could not write to the journal")
        #expect(waiting.text.contains("locked by another connection"), "\(waiting.text)")
        #expect(try await scheduler.job(job)?.state == .running)

        try other.execute("COMMIT")
        while let event = await events.next(), !(event.kind == .succeeded && event.jobID == job) {}
        let later = try await scheduler.schedule(name: "later", .after(.seconds(3600))).id
        #expect(try await scheduler.job(job)?.state == .completed)
        #expect(try await scheduler.job(later)?.state == .scheduled)
        runner.cancel()
        try await runner.value
        await scheduler.close()
    }
}
