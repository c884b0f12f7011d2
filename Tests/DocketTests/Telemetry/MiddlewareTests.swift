import Docket
import DocketTesting
import Foundation
import Testing

/// Middleware around attempts: order, what it sees, and how it changes an attempt's outcome.
@Suite(.timeLimit(.minutes(1)))
struct MiddlewareTests {
    private struct Refused: Error, CustomStringConvertible {
        var description: String { "refused by middleware" }
    }

    private struct MailerDown: Error, CustomStringConvertible {
        var description: String { "mailer down" }
    }

    /// Records what it sees into `log`, tagged `tag`, around the rest of the chain.
    private struct Tracking: JobMiddleware {
        let tag: String
        let log: Recorder<String>
        let attempts: Recorder<JobAttempt>

        func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
            attempts.append(attempt)
            log.append("\(tag) before")
            do {
                try await next(attempt.context)
                log.append("\(tag) after: success")
            } catch {
                log.append("\(tag) after: \(error)")
                throw error
            }
        }
    }

    /// Fails every attempt, whatever the handler did.
    private struct Refusing: JobMiddleware {
        func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
            try await next(attempt.context)
            throw Refused()
        }
    }

    @Test func middlewareRunsInOrderAroundTheHandlerAndSeesTheAttempt() async throws {
        let log = Recorder<String>()
        let attempts = Recorder<JobAttempt>()
        let harness = try SchedulerTestHarness { configuration in
            configuration.middleware = [
                Tracking(tag: "outer", log: log, attempts: attempts), Tracking(tag: "inner", log: log, attempts: attempts),
            ]
        }
        try harness.scheduler.register(Note.self) { note, _ in log.append("handler \(note.text)") }
        let due = harness.clock.wallTime.addingTimeInterval(-3)
        let id = try await harness.note("hi", .at(due), options: JobOptions(queue: "mail"))

        let result = try await harness.scheduler.drainDueJobs()
        #expect(result.succeeded == 1)
        #expect(log.all == ["outer before", "inner before", "handler hi", "inner after: success", "outer after: success"])
        let seen = try #require(attempts.all.first)
        #expect(attempts.all.count == 2)
        #expect(seen.context.id == id && seen.context.name == Note.jobName && seen.context.queue == "mail")
        #expect(seen.context.attempt == 1 && seen.context.schedule == nil)
        // Virtual time: the job was due three seconds before the drain started it.
        #expect(seen.lateness == .seconds(3))
        #expect(seen.startedAt == harness.clock.wallTime)
    }

    @Test func middlewareSeesTheHandlersErrorAndTheAttemptFailsWithIt() async throws {
        let log = Recorder<String>()
        let harness = try SchedulerTestHarness { configuration in
            configuration.middleware = [Tracking(tag: "m", log: log, attempts: Recorder())]
        }
        try harness.scheduler.register(Note.self) { _, _ in throw MailerDown() }
        _ = try await harness.note("x", options: JobOptions(maxAttempts: 1))

        let result = try await harness.scheduler.drainDueJobs()
        #expect(log.all == ["m before", "m after: mailer down"])
        #expect(result.discarded == 1 && result.jobs.first?.error?.hasPrefix("mailer down") == true)
    }

    @Test func aMiddlewareThatThrowsFailsAnAttemptTheHandlerGotThrough() async throws {
        let ran = Recorder<String>()
        let harness = try SchedulerTestHarness { $0.middleware = [Refusing()] }
        try harness.scheduler.register(Note.self) { note, _ in ran.append(note.text) }
        let id = try await harness.note("x", options: JobOptions(maxAttempts: 2))

        let result = try await harness.scheduler.drainDueJobs()
        #expect(ran.all == ["x"])
        #expect(result.retrying == 1 && result.jobs.first?.error == "refused by middleware")
        #expect(try await harness.scheduler.job(id)?.state == .scheduled)
    }

    @Test func aScheduledJobsAttemptNamesItsScheduleAndFiring() async throws {
        let attempts = Recorder<JobAttempt>()
        let harness = try SchedulerTestHarness { configuration in
            configuration.middleware = [Tracking(tag: "m", log: Recorder(), attempts: attempts)]
        }
        try harness.scheduler.register(Note.self) { _, _ in }
        _ = try await harness.scheduler.createSchedule(Schedule("every-minute", .every(.seconds(60)), job: Note(text: "tick")))
        let created = try await harness.scheduler.fireDueSchedules()
        #expect(created.count == 1)

        _ = try await harness.scheduler.drainDueJobs()
        let seen = try #require(attempts.all.first)
        #expect(seen.context.schedule?.scheduleName == "every-minute")
        #expect(seen.context.schedule?.firedAt == seen.context.scheduledAt)
    }
}
