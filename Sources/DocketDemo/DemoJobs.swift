import Docket
import Foundation

/// The demo's job types and handlers: one greeting, a report after a delay, a flaky job that fails
/// twice, a job that hangs past its timeout, and a long job that the demo interrupts with SIGKILL.
struct Greet: JobPayload {
    static let jobName = "greet"
    var name: String
}

struct Report: JobPayload {
    static let jobName = "report"
    var title: String
}

struct Flaky: JobPayload {
    static let jobName = "flaky"
}

struct Hang: JobPayload {
    static let jobName = "hang"
}

struct LongTask: JobPayload {
    static let jobName = "long-task"
    var steps: Int
}

enum DemoJobs {
    static func register(on scheduler: JobScheduler, print say: @escaping @Sendable (String) -> Void) throws {
        try scheduler.register(Greet.self) { job, _ in
            say("hello, \(job.name)")
        }
        try scheduler.register(Report.self) { job, _ in
            say("report '\(job.title)' is ready")
        }
        let quickRetry = HandlerOptions(retry: .strategy(.fixed(.milliseconds(300))))
        try scheduler.register(Flaky.self, options: quickRetry) { _, context in
            if context.attempt < 3 {
                throw DemoFailure(message: "the mail server answered 451 on attempt \(context.attempt)")
            }
            say("flaky job got through on attempt \(context.attempt)")
        }
        let hangOptions = HandlerOptions(
            retry: .strategy(.fixed(.milliseconds(100))), maxAttempts: 2, timeout: .milliseconds(300))
        try scheduler.register(Hang.self, options: hangOptions) { _, _ in
            try await Task.sleep(for: .seconds(60))
        }
        try scheduler.register(LongTask.self, options: HandlerOptions(retry: .strategy(.fixed(.milliseconds(500))))) { job, context in
            say("long task attempt \(context.attempt) started (\(job.steps) steps)")
            for step in 1...job.steps {
                try await Task.sleep(for: .milliseconds(250))
                say("long task step \(step)/\(job.steps)")
            }
        }
    }

    static func scheduleAll(on scheduler: JobScheduler) async throws {
        try await scheduler.schedule([
            JobRequest(Greet(name: "Docket"), .now),
            JobRequest(LongTask(steps: 8), .after(.milliseconds(300))),
            JobRequest(Flaky(), .after(.milliseconds(100)), options: JobOptions(maxAttempts: 5)),
            JobRequest(Hang(), .after(.milliseconds(200))),
            JobRequest(Report(title: "daily numbers"), .after("1.5s")),
        ])
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
