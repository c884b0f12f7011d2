import Docket
import DocketTesting
import Testing

/// The journal's `running` is the truth: a job is running only while its handler runs (or is about
/// to start at its time); a job waiting for a slot is scheduled, and can be cancelled or moved.
@Suite(.timeLimit(.minutes(1)))
struct TruthfulRunningTests {
    @Test func jobsWaitingForASlotAreScheduledAndCanBeCancelledOrMoved() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 2 }
        let gate = Gate()
        try harness.scheduler.register(Note.self) { _, _ in await gate.wait() }
        let ids = try await harness.scheduler.schedule((0..<6).map { JobRequest(Note(text: "\($0)")) }).map(\.id)
        harness.start()
        let first = await harness.next(.started)
        let second = await harness.next(.started)
        let running = Set([first?.jobID, second?.jobID].compactMap { $0 })
        #expect(running.count == 2)
        let counts = try await harness.scheduler.counts()
        #expect(counts[.running] == 2)
        #expect(counts[.scheduled] == 4)
        let waiting = ids.filter { !running.contains($0) }
        try await harness.scheduler.cancel(waiting[0])
        try await harness.scheduler.reschedule(waiting[1], to: .after(.seconds(3600)))
        #expect(try await harness.scheduler.job(waiting[0])?.state == .cancelled)
        gate.open()
        for _ in 0..<4 { _ = await harness.next(.succeeded) }
        let after = try await harness.scheduler.counts()
        #expect(after[.completed] == 4)
        #expect(after[.cancelled] == 1)
        #expect(after[.scheduled] == 1)
        try await harness.stop()
    }
}
