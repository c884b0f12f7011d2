import Docket
import DocketTesting
import Foundation
import Testing

@testable import DocketSQLite

/// An error whose text is long enough that recording it needs new pages in the journal.
private struct LongError: Error, CustomStringConvertible {
    var description: String { "the upstream answered with a long complaint: " + String(repeating: "x", count: 64 * 1024) }
}

@Suite(.timeLimit(.minutes(1)))
struct DiskFullTests {
    /// Disk full: scheduling gets `.storage` of kind `.diskFull`, nothing committed is lost, outcomes are retried, all recovers with space.
    @Test func aFullDiskFailsSchedulingRetriesOutcomesAndRecovers() async throws {
        let directory = try TemporaryDirectory("disk-full")
        defer { directory.remove() }
        let path = directory.file("full.docket")
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
        let logs = LogCapture()
        var configuration = SchedulerConfiguration()
        configuration.logger = logs.logger
        configuration.pollInterval = .milliseconds(50)
        let scheduler = JobScheduler(store: journal, configuration: configuration)
        let gate = Gate()
        let policy = HandlerOptions(retry: .strategy(.fixed(.milliseconds(1))))
        try scheduler.register("report", options: policy) { context in
            if context.attempt == 1 {
                await gate.wait()
                throw LongError()
            }
        }
        let committed = try await scheduler.schedule(
            (0..<20).map { JobRequest(name: "later", payload: [UInt8]("kept \($0)".utf8), .after(.seconds(3600))) })
        let report = try await scheduler.schedule(name: "report").id
        var events = scheduler.events().makeAsyncIterator()
        let runner = Task { try await scheduler.run() }
        while let event = await events.next(), !(event.kind == .started && event.jobID == report) {}

        let room = try await journal.maxPageCountForTesting()
        try await journal.setMaxPageCountForTesting(1)
        let countsBefore = try await scheduler.counts()
        do {
            try await scheduler.schedule(name: "big", payload: [UInt8](repeating: 7, count: 32 * 1024))
            Issue.record("scheduling on a full disk must fail")
        } catch {
            guard case .storage(let failure) = error else { throw error }
            #expect(failure.kind == .diskFull)
            #expect(error.description.contains("disk is full") && error.description.contains("free disk space and retry"))
            #expect(error.description.contains(path))
        }
        #expect(try await scheduler.counts() == countsBefore)

        // The attempt fails with an error too long to record while the disk is full: the outcome waits.
        gate.open()
        let stuck = await logs.record(containing: "could not write to the journal")
        #expect(stuck.text.contains("disk is full"))
        #expect(try await scheduler.job(report)?.state == .running)

        try await journal.setMaxPageCountForTesting(room)
        while let event = await events.next(), !(event.kind == .succeeded && event.jobID == report) {}
        let info = try #require(try await scheduler.job(report))
        #expect(info.attempts.map(\.outcome) == [.retried, .completed])
        #expect(info.attempts.first?.error?.hasPrefix("the upstream answered with a long complaint") == true)
        #expect(try await scheduler.schedule(name: "big", payload: [UInt8](repeating: 7, count: 32 * 1024)).isDuplicate == false)
        for job in committed {
            #expect(try await scheduler.job(job.id)?.state == .scheduled)
        }
        runner.cancel()
        try await runner.value
        await scheduler.close()
    }
}
