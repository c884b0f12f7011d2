import DocketCore
import Foundation
import Logging
import Synchronization

/// A `Codable` payload that names its job; registering a handler for the type routes jobs to it.
///
/// ```swift
/// struct SendWelcomeEmail: JobPayload {
///     static let jobName = "send-welcome-email"
///     var userID: Int
/// }
/// ```
public protocol JobPayload: Codable, Sendable {
    /// The job name that routes jobs of this payload to their handler.
    static var jobName: String { get }
}

/// What a handler knows about the attempt it runs.
///
/// Cancellation arrives as Swift task cancellation: on timeout and at the end of a shutdown's grace
/// period the handler's task is cancelled.
public struct JobContext: Sendable {
    /// The job's id.
    public var id: JobID
    /// The job's name.
    public var name: String
    /// This attempt's number, from 1.
    public var attempt: Int
    /// Attempts allowed.
    public var maxAttempts: Int
    /// When the job was due.
    public var scheduledAt: Date
    /// The job's queue.
    public var queue: String
    /// The raw payload bytes.
    public var payload: [UInt8]
    /// The schedule and firing that created the job; nil for a job scheduled directly.
    public var schedule: ScheduleFiring?
    /// The propagation headers of the trace the job was scheduled in (W3C `traceparent` and
    /// `tracestate` for a W3C tracer), kept with the job in the journal when ``DocketTracing`` is in
    /// the scheduling scheduler's middleware; empty otherwise.
    public var traceHeaders: [String: String] = [:]
    /// A logger carrying `job.id`, `job.name`, `job.attempt` and `job.queue` metadata (never the payload).
    ///
    /// Built when first read from the scheduler's logger, so that a handler that logs nothing does
    /// not pay for its metadata.
    public var logger: Logger {
        get { assignedLogger ?? Self.jobLogger(schedulerLogger, id: id, name: name, attempt: attempt, queue: queue) }
        set { assignedLogger = newValue }
    }

    /// The logger given to ``init(id:name:attempt:maxAttempts:scheduledAt:queue:payload:logger:)`` or
    /// assigned to ``logger``, used as is.
    private var assignedLogger: Logger?
    /// The scheduler's logger, which ``logger`` adds the job's metadata to.
    private var schedulerLogger: Logger

    /// Makes a context, for example to call a handler directly in a unit test.
    public init(
        id: JobID, name: String, attempt: Int = 1, maxAttempts: Int = JobDefaults.maxAttempts,
        scheduledAt: Date = Date(), queue: String = JobDefaults.queue, payload: [UInt8] = [],
        logger: Logger = Logger(label: "docket", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.init(
            id: id, name: name, attempt: attempt, maxAttempts: maxAttempts, scheduledAt: scheduledAt, queue: queue,
            payload: payload, schedulerLogger: logger)
        assignedLogger = logger
    }

    /// The scheduler's context for an attempt: ``logger`` adds the job's metadata to `schedulerLogger`
    /// when read.
    init(
        id: JobID, name: String, attempt: Int, maxAttempts: Int, scheduledAt: Date, queue: String,
        payload: [UInt8], schedulerLogger: Logger
    ) {
        self.id = id
        self.name = name
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.scheduledAt = scheduledAt
        self.queue = queue
        self.payload = payload
        self.assignedLogger = nil
        self.schedulerLogger = schedulerLogger
    }

    private static func jobLogger(_ base: Logger, id: JobID, name: String, attempt: Int, queue: String) -> Logger {
        var logger = base
        logger[metadataKey: "job.id"] = "\(id)"
        logger[metadataKey: "job.name"] = "\(name)"
        logger[metadataKey: "job.attempt"] = "\(attempt)"
        logger[metadataKey: "job.queue"] = "\(queue)"
        return logger
    }
}

/// Thrown by a handler to end its attempt in a way other than an ordinary failure.
public enum JobControl: Error, Sendable {
    /// Discard the job now, without retrying; the reason is kept in its history.
    case discard(reason: String)
    /// Run again after `delay` without spending an attempt.
    case snooze(Duration)
    /// What the handler calls was rate limited (an HTTP 429, a quota): run again after
    /// `retryAfter` without spending an attempt, as ``snooze(_:)`` does. The attempt's history
    /// records it as snoozed, with the reason "rate limited". To keep a queue's jobs from hitting
    /// the limit at all, give the queue a ``JobQueue/RateLimit``.
    case rateLimited(retryAfter: Duration)
    /// Fail this attempt and retry after `delay`, instead of the retry policy's delay.
    case retry(after: Duration, reason: String)
}

/// A handler's choices, overriding the configuration's defaults for every job of its name.
public struct HandlerOptions: Sendable {
    /// How failures are retried.
    public var retry: RetryPolicy?
    /// Attempts for jobs scheduled by this process without their own `maxAttempts`.
    public var maxAttempts: Int?
    /// How long one attempt may run.
    public var timeout: Duration?

    /// Options for a handler; nil fields fall back to the configuration.
    public init(retry: RetryPolicy? = nil, maxAttempts: Int? = nil, timeout: Duration? = nil) {
        self.retry = retry
        self.maxAttempts = maxAttempts
        self.timeout = timeout
    }
}

/// A registered handler with its payload decoding erased.
struct RegisteredHandler: Sendable {
    let options: HandlerOptions
    let run: @Sendable (JobContext) async throws -> Void
    /// Whether attempts of this handler compute for long before they first suspend.
    let computesLong = LongRunVerdict()
}

/// Decides, from how long a handler's attempts ran without suspending, whether it computes for long:
/// after ``runsToDecide`` long runs in a row, for good. One long run is not enough, since a thread
/// that the system preempted looks the same as one that computed; read and written without a lock.
final class LongRunVerdict: Sendable {
    /// Long runs in a row that decide.
    static let runsToDecide = 3
    private let longRuns = Atomic<Int>(0)

    /// Whether the handler has been found to compute for long.
    var isSet: Bool { longRuns.load(ordering: .relaxed) >= Self.runsToDecide }

    /// Records a run that did not suspend, and whether it was long.
    func record(long: Bool) {
        let runs = longRuns.load(ordering: .relaxed)
        guard runs < Self.runsToDecide else { return }
        if long {
            longRuns.store(runs + 1, ordering: .relaxed)
        } else if runs > 0 {
            longRuns.store(0, ordering: .relaxed)
        }
    }
}

/// The payload failed to decode before the handler could run; discarded at once, never retried.
struct PayloadDecodingFailure: Error, CustomStringConvertible {
    let name: String
    let underlying: any Error
    var description: String { "the payload of '\(name)' could not be decoded: \(underlying)" }
}

enum PayloadCoding {
    static func encode<Payload: JobPayload>(_ payload: Payload) -> Result<[UInt8], DocketError> {
        do {
            return .success(Array(try JSONEncoder().encode(payload)))
        } catch {
            return .failure(.encodingFailed(name: Payload.jobName, underlying: error))
        }
    }

    static func decode<Payload: JobPayload>(
        _ type: Payload.Type, from bytes: [UInt8], using decoder: JSONDecoder
    ) throws -> Payload {
        do {
            return try decoder.decode(Payload.self, from: Data(bytes))
        } catch {
            throw PayloadDecodingFailure(name: Payload.jobName, underlying: error)
        }
    }
}
