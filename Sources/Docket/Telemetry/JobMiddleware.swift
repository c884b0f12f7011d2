import DocketCore
import Foundation

/// Code that runs around every attempt's handler: for metrics, tracing, logging, rate limits.
///
/// Give middleware to the scheduler in ``SchedulerConfiguration/middleware``; the first in the list
/// is the outermost. Each ``handle(_:next:)`` calls `next` once to run the rest of the chain and, at
/// its end, the handler:
///
/// ```swift
/// struct LogSlowAttempts: JobMiddleware {
///     func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
///         let start = ContinuousClock.now
///         defer {
///             if ContinuousClock.now - start > .seconds(1) {
///                 attempt.context.logger.notice("slow attempt")
///             }
///         }
///         try await next(attempt.context)
///     }
/// }
/// ```
///
/// A middleware sees how the attempt went as `next` returns or throws: the handler's error comes
/// out of `next` as thrown (a ``JobControl`` too), and a payload that did not decode comes out as an
/// error before the handler ran. Whatever ``handle(_:next:)`` throws is the attempt's outcome, exactly
/// as if the handler had thrown it: throw to fail an attempt (or a ``JobControl`` to snooze or
/// discard it), and rethrow what `next` threw to leave the outcome alone. Returning without calling
/// `next` ends the attempt as a success without running the handler.
///
/// When an attempt's timeout or a shutdown ends it first, the attempt's task is cancelled
/// (`Task.isCancelled` is true when `next` returns) and whatever the chain does afterwards no longer
/// changes its recorded outcome.
///
/// Middleware runs where the handler runs, often on the journal's writer thread (see the README's
/// note on runner tasks): keep the work around `next` short and non-blocking. With no middleware
/// the scheduler calls handlers directly, at no cost.
public protocol JobMiddleware: Sendable {
    /// Runs around one attempt: call `next` with the attempt's context (changed if you like, for
    /// example with a logger carrying a trace id) to run the rest of the chain and the handler.
    func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws
}

/// What a ``JobMiddleware`` knows about the attempt it runs around.
public struct JobAttempt: Sendable {
    /// The context the handler gets: the job's id, name, queue, attempt number, due time, and the
    /// schedule and firing that created it, if any.
    public var context: JobContext
    /// When the attempt started, by the scheduler's wall clock, to its microsecond.
    public var startedAt: Date { started.date }
    /// How late the attempt started: from the job's due time to ``startedAt``, zero for a job that
    /// started at its time. A retry is due when its retry policy said, so its lateness counts from then.
    public var lateness: Duration { .microseconds(max(0, started.microsecondsSinceEpoch - due.microsecondsSinceEpoch)) }

    private let started: Timestamp
    private let due: Timestamp

    /// An attempt of the job of `context`, started at `startedAt`: for calling a middleware directly
    /// in a unit test.
    public init(context: JobContext, startedAt: Date) {
        self.init(context: context, started: Timestamp(startedAt), due: Timestamp(context.scheduledAt))
    }

    init(context: JobContext, started: Timestamp, due: Timestamp) {
        self.context = context
        self.started = started
        self.due = due
    }
}

/// The configuration's middleware, applied in order around a handler.
struct MiddlewareChain: Sendable {
    let middleware: [any JobMiddleware]

    /// The chain of `middleware`, or nil when there is none, so that attempts then call their
    /// handler directly.
    init?(_ middleware: [any JobMiddleware]) {
        guard !middleware.isEmpty else { return nil }
        self.middleware = middleware
    }

    /// Runs `attempt` through the middleware from `index` on, and then `handler`.
    func run(
        _ attempt: JobAttempt, from index: Int = 0, handler: @Sendable (JobContext) async throws -> Void
    ) async throws {
        guard index < middleware.count else {
            try await handler(attempt.context)
            return
        }
        try await middleware[index].handle(attempt) { context in
            var attempt = attempt
            attempt.context = context
            try await run(attempt, from: index + 1, handler: handler)
        }
    }
}
