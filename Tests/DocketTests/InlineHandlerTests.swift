import Docket
import DocketSQLite
import DocketTesting
import Synchronization
import Testing

/// Quick handlers run on the journal's writer thread right after the commit that claimed them, and a
/// handler that computes for long without suspending is moved off that thread: it would hold every
/// commit (and every `schedule`) behind it.
@Suite(.timeLimit(.minutes(1)))
struct InlineHandlerTests {
    /// Whether each attempt ran on the journal's writer thread.
    private final class Threads: Sendable {
        private let names = Mutex<[Bool]>([])
        func record() { names.withLock { $0.append(isJournalWriterThread()) } }
        var onWriter: Int { names.withLock { $0.filter { $0 }.count } }
        var count: Int { names.withLock { $0.count } }
        var sequence: [Bool] { names.withLock { $0 } }
    }

    @Test func quickHandlersRunOnTheWritersThread() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 4 }
        let threads = Threads()
        try harness.scheduler.register(Note.self) { _, _ in threads.record() }
        _ = try await harness.scheduler.schedule((0..<200).map { JobRequest(Note(text: "\($0)")) })
        harness.start()
        for _ in 0..<200 { _ = await harness.next(.succeeded) }
        #expect(threads.count == 200)
        // Claimed by ticks answered on the writer's thread, they ran there: no task hop per job.
        #expect(threads.onWriter > 0, "\(threads.sequence)")
        try await harness.stop()
    }

    @Test func aHandlerThatComputesForLongWithoutSuspendingLeavesTheWritersThread() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let threads = Threads()
        try harness.scheduler.register(Note.self) { _, _ in
            threads.record()
            // Computes past the inline budget without a suspension point.
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .milliseconds(3) {}
        }
        _ = try await harness.scheduler.schedule((0..<20).map { JobRequest(Note(text: "\($0)")) })
        harness.start()
        for _ in 0..<20 { _ = await harness.next(.succeeded) }
        #expect(threads.count == 20)
        // The first three may run there before the scheduler knows it computes; none after them does.
        #expect(threads.onWriter <= 3, "\(threads.sequence)")
        try await harness.stop()
    }
}
