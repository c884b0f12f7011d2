import Docket
import DocketTesting
import Testing

/// The example of the TestingYourJobs article, kept compiling and passing.
@Suite(.timeLimit(.minutes(1)))
struct TestingArticleTests {
    private struct SignUp: JobPayload {
        static let jobName = "sign-up"
        var userID: Int
    }

    private struct SendWelcomeEmail: JobPayload, Equatable {
        static let jobName = "send-welcome-email"
        var userID: Int
    }

    private struct MailerDown: Error {}

    @Test func signUpSendsOneWelcomeEmail() async throws {
        let clock = ManualClock()
        let scheduler = try JobScheduler.inMemory(configuration: .testing(clock: clock))
        try scheduler.register(SignUp.self) { job, _ in
            try await scheduler.schedule(
                SendWelcomeEmail(userID: job.userID), .after(.seconds(30)),
                options: JobOptions(uniqueKey: "welcome-\(job.userID)", uniqueScope: .whileActiveOrCompleted))
        }
        let sent = Recorder<Int>()
        try scheduler.register(
            SendWelcomeEmail.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(60))))
        ) { job, context in
            if context.attempt == 1 { throw MailerDown() }
            sent.append(job.userID)
        }

        try await scheduler.schedule(SignUp(userID: 7))
        try await scheduler.schedule(SignUp(userID: 7))

        let signUps = try await scheduler.drainDueJobs()
        #expect(signUps.succeeded == 2)

        let emails = try await scheduler.scheduledPayloads(of: SendWelcomeEmail.self)
        #expect(emails.count == 1)
        #expect(emails.first?.runAt == clock.wallTime.addingTimeInterval(30))
        #expect(emails.first?.options.uniqueKey == "welcome-7")
        #expect(try await scheduler.hasScheduled(SendWelcomeEmail(userID: 7)))

        let result = try await scheduler.drainDueJobs(includingScheduled: true, recursively: true)
        #expect(result.retrying == 1 && result.succeeded == 1)
        #expect(sent.all == [7])
        await scheduler.close()
    }
}
