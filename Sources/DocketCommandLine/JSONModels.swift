import Docket
import Foundation

/// A job as `--json` prints it. Field names are part of the tool's interface: add, never rename.
struct JobJSON: Encodable {
    struct Attempt: Encodable {
        var number: Int
        var startedAt: Date
        var endedAt: Date?
        var outcome: String?
        var error: String?
    }

    var id: Int64
    var name: String
    var queue: String
    var priority: Int
    var state: String
    var attempt: Int
    var maxAttempts: Int
    var uniqueKey: String?
    var runAt: Date
    var createdAt: Date
    var finishedAt: Date?
    var lastError: String?
    var scheduleName: String?
    var scheduleFiredAt: Date?
    var attempts: [Attempt]?
    var payloadBase64: String?
    var payloadText: String?

    init(_ job: Job, withAttempts: Bool = false, payload: [UInt8]? = nil) {
        id = job.id.rawValue
        name = job.name
        queue = job.queue
        priority = job.priority
        state = job.state.rawValue
        attempt = job.attempt
        maxAttempts = job.maxAttempts
        uniqueKey = job.uniqueKey
        runAt = job.runAt
        createdAt = job.createdAt
        finishedAt = job.finishedAt
        lastError = job.lastError
        scheduleName = job.schedule?.scheduleName
        scheduleFiredAt = job.schedule?.firedAt
        if withAttempts {
            attempts = job.attempts.map {
                Attempt(number: $0.number, startedAt: $0.startedAt, endedAt: $0.endedAt, outcome: $0.outcome?.rawValue, error: $0.error)
            }
        }
        if let payload {
            payloadBase64 = Data(payload).base64EncodedString()
            payloadText = String(validating: payload, as: UTF8.self)
        }
    }
}

/// A schedule as `--json` prints it.
struct ScheduleJSON: Encodable {
    var name: String
    var ruleKind: String
    var rule: String
    var timeZone: String
    var jobName: String
    var queue: String
    var priority: Int
    var overlap: String
    var catchUp: String
    var origin: String
    var paused: Bool
    var pauseNote: String?
    var removedAt: Date?
    var nextFiring: Date?
    var heldFiring: Date?
    var lastFiring: Date?
    var lastJobID: Int64?
    var fired: Int
    var missed: Int
    var skipped: Int
    var createdAt: Date
    var updatedAt: Date
    var upcoming: [Date]?

    init(_ schedule: ScheduleInfo, upcoming: [Date]? = nil) {
        name = schedule.name
        ruleKind = schedule.recurrence.description.hasPrefix("cron") ? "cron" : "rrule"
        rule = schedule.recurrence.text
        timeZone = schedule.recurrence.timeZone ?? "UTC"
        jobName = schedule.jobName
        queue = schedule.queue
        priority = schedule.priority
        overlap = "\(schedule.overlap)"
        catchUp = "\(schedule.catchUp)"
        origin = schedule.origin == .declared ? "declared" : "created"
        paused = schedule.isPaused
        pauseNote = schedule.pauseNote
        removedAt = schedule.removedAt
        nextFiring = schedule.nextFiring
        heldFiring = schedule.heldFiring
        lastFiring = schedule.lastFiring
        lastJobID = schedule.lastJobID?.rawValue
        fired = schedule.fired
        missed = schedule.missed
        skipped = schedule.skipped
        createdAt = schedule.createdAt
        updatedAt = schedule.updatedAt
        self.upcoming = upcoming
    }

    /// `active`, `paused` or `removed`, for tables.
    static func status(_ schedule: ScheduleInfo) -> String {
        if schedule.removedAt != nil { return "removed" }
        return schedule.isPaused ? "paused" : "active"
    }
}
