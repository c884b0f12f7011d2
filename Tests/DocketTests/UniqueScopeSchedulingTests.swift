import Docket
import DocketTesting
import Testing

/// Unique scopes through the scheduler: a "once" key outlives its completed job, a plain key does not.
@Suite(.timeLimit(.minutes(1)))
struct UniqueScopeSchedulingTests {
    @Test(arguments: UniqueScope.allCases)
    func aCompletedJobKeepsItsKeyOnlyUnderTheCompletedScope(scope: UniqueScope) async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let options = JobOptions(uniqueKey: "welcome-7", uniqueScope: scope)
        let first = try await harness.scheduler.schedule(Note(text: "a"), options: options)
        let pending = try await harness.scheduler.schedule(Note(text: "b"), options: options)
        #expect(!first.isDuplicate && pending.isDuplicate && pending.id == first.id)

        #expect(try await harness.scheduler.drainDueJobs().succeeded == 1)
        let again = try await harness.scheduler.schedule(Note(text: "c"), options: JobOptions(uniqueKey: "welcome-7"))
        if scope == .whileActiveOrCompleted {
            #expect(again.isDuplicate && again.id == first.id)
        } else {
            #expect(!again.isDuplicate && again.id != first.id)
        }
    }

    @Test func aDiscardedOnceJobFreesItsKey() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in throw JobControl.discard(reason: "bounced") }
        let options = JobOptions(uniqueKey: "welcome-7", uniqueScope: .whileActiveOrCompleted)
        let first = try await harness.scheduler.schedule(Note(text: "a"), options: options)
        #expect(try await harness.scheduler.drainDueJobs().discarded == 1)
        let again = try await harness.scheduler.schedule(Note(text: "a"), options: options)
        #expect(!again.isDuplicate && again.id != first.id)
    }
}
