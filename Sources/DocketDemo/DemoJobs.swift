import Docket
import Foundation

/// The demo's job types and handlers: one greeting, a report after a delay, a flaky job that fails
/// twice, a job that hangs past its timeout, a long job that the demo interrupts with SIGKILL, and
/// a heartbeat that a schedule creates every second.
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

struct Heartbeat: JobPayload {
    static let jobName = "heartbeat"
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
        try scheduler.register(Heartbeat.self) { _, context in
            let firing = context.schedule.map { Self.clockTime($0.firedAt) } ?? "?"
            say("heartbeat for the firing at \(firing)")
        }
        try scheduler.declareSchedules([
            Schedule("heartbeat", .every(.seconds(1)), job: Heartbeat(), overlap: .skip, catchUp: .latest)
        ])
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

    /// `14:03:07`, in UTC.
    static func clockTime(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) % 86_400
        return String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
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
