import Docket
import DocketTesting
import Testing

/// The testing kit's view of what is scheduled, without running it.
@Suite(.timeLimit(.minutes(1)))
struct ScheduledJobsTests {
    private struct SendWelcomeEmail: JobPayload, Equatable {
        static let jobName = "send-welcome-email"
        var userID: Int
    }

    @Test func payloadsComeBackDecodedWithTheirTimesAndOptions() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let now = harness.clock.wallTime
        let options = JobOptions(
            uniqueKey: "welcome-7", uniqueScope: .whileActiveOrCompleted, priority: 3, queue: "mail", maxAttempts: 5,
            timeout: .seconds(20), retry: .fixed(.seconds(42)))
        let seven = try await scheduler.schedule(SendWelcomeEmail(userID: 7), .after(.seconds(30)), options: options).id
        let eight = try await scheduler.schedule(SendWelcomeEmail(userID: 8), .after(.seconds(10))).id
        _ = try await harness.note("not an email")

        let welcome = try await scheduler.scheduledPayloads(of: SendWelcomeEmail.self)
        #expect(welcome.map(\.id) == [eight, seven])
        #expect(welcome.map(\.payload) == [SendWelcomeEmail(userID: 8), SendWelcomeEmail(userID: 7)])
        #expect(welcome.map(\.runAt) == [now.addingTimeInterval(10), now.addingTimeInterval(30)])
        #expect(welcome.last?.options == options)
        // Defaults are filled in as the job was given them.
        let defaults = JobOptions(priority: 0, queue: "default", maxAttempts: JobDefaults.maxAttempts)
        #expect(welcome.first?.options == defaults)

        #expect(try await scheduler.scheduledPayloads(of: SendWelcomeEmail.self).count == 2)
        #expect(try await scheduler.hasScheduled(SendWelcomeEmail(userID: 7)))
        #expect(try await scheduler.hasScheduled(SendWelcomeEmail(userID: 7), at: now.addingTimeInterval(30)))
        #expect(try await !scheduler.hasScheduled(SendWelcomeEmail(userID: 7), at: now.addingTimeInterval(10)))
        #expect(try await !scheduler.hasScheduled(SendWelcomeEmail(userID: 9)))

        let raw = try await scheduler.scheduledJobs(named: SendWelcomeEmail.jobName)
        #expect(raw.map(\.payload) == [Array(#"{"userID":8}"#.utf8), Array(#"{"userID":7}"#.utf8)])
        #expect(try await scheduler.scheduledJobs().map(\.name) == [Note.jobName, SendWelcomeEmail.jobName, SendWelcomeEmail.jobName])
    }

    @Test func onlyScheduledJobsAreListedAndARetryShowsItsSpentAttempt() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { note, _ in
            if note.text == "fails" { throw JobControl.retry(after: .seconds(5), reason: "later") }
        }
        let fails = try await harness.note("fails")
        _ = try await harness.note("succeeds")
        _ = try await harness.scheduler.drainDueJobs()

        let pending = try await harness.scheduler.scheduledJobs(named: Note.jobName)
        #expect(pending.map(\.id) == [fails])
        #expect(pending.first?.attempt == 1 && pending.first?.runAt == harness.clock.wallTime.addingTimeInterval(5))
    }

    @Test func aPayloadThatDoesNotDecodeIsAnError() async throws {
        let harness = try SchedulerTestHarness()
        try await harness.scheduler.schedule(name: SendWelcomeEmail.jobName, payload: Array("not json".utf8))
        await #expect(throws: DecodingError.self) {
            _ = try await harness.scheduler.scheduledPayloads(of: SendWelcomeEmail.self)
        }
    }
}
