import DocketCore
import Foundation

/// A job as the journal holds it, with its attempt history: what ``JobScheduler/job(_:)``,
/// ``JobScheduler/jobs(matching:after:limit:)`` and ``JobScheduler/jobs(in:after:limit:)`` return.
///
/// A value read at one moment; read again to see later changes.
public struct Job: Sendable, Hashable, Identifiable {
    /// One execution of a job's handler.
    public struct Attempt: Sendable, Hashable {
        /// How an attempt ended.
        public enum Outcome: String, Sendable, Hashable, CaseIterable {
            /// The handler returned normally; the job completed.
            case completed
            /// The handler failed and the job was scheduled again.
            case retried
            /// The handler failed for the last time, or refused the job; the job was discarded.
            case discarded
            /// The handler snoozed the job; the attempt was given back.
            case snoozed
            /// A graceful shutdown stopped the attempt; the attempt was given back.
            case released
            /// The process running the attempt died; crash recovery closed the attempt.
            case interrupted
            /// The job was cancelled while the attempt ran (``JobScheduler/cancel(_:)``, or the
            /// `docket` tool); the handler's task was cancelled.
            case cancelled
        }

        /// The job's attempt count when this attempt ran, from 1. A snoozed or released attempt gives
        /// its number back, so the next attempt may carry the same number.
        public let number: Int
        /// When the attempt was claimed.
        public let startedAt: Date
        /// When it ended; nil while it runs.
        public let endedAt: Date?
        /// How it ended; nil while it runs, or when a newer Docket recorded an outcome this one does
        /// not know.
        public let outcome: Outcome?
        /// The error, for failed, discarded and interrupted attempts.
        public let error: String?
    }

    /// The job's id.
    public let id: JobID
    /// The job's name, which picks its handler.
    public let name: String
    /// The job's queue.
    public let queue: String
    /// 0 (first) to 9 among due jobs.
    public let priority: Int
    /// Where the job is in its life.
    public let state: JobState
    /// Attempts counted so far; a claim counts one.
    public let attempt: Int
    /// Attempts allowed before the job is discarded.
    public let maxAttempts: Int
    /// The unique key the job was scheduled with, if any.
    public let uniqueKey: String?
    /// When the job is (or was last) due.
    public let runAt: Date
    /// When the job was scheduled.
    public let createdAt: Date
    /// When the job reached a terminal state; nil before.
    public let finishedAt: Date?
    /// The error of the latest failed attempt.
    public let lastError: String?
    /// Every attempt, oldest first.
    public let attempts: [Attempt]
    /// The schedule and firing that created the job; nil for a job scheduled directly.
    public let schedule: ScheduleFiring?

    /// The job `record` with its attempts.
    init(_ record: JobRecord, attempts: [AttemptRecord]) {
        id = record.id
        name = record.name
        queue = record.queue
        priority = record.priority
        state = record.state
        attempt = record.attempt
        maxAttempts = record.maxAttempts
        uniqueKey = record.uniqueKey
        runAt = record.runAt.date
        createdAt = record.createdAt.date
        finishedAt = record.finishedAt?.date
        lastError = record.lastError
        self.attempts = attempts.map(Attempt.init)
        schedule = record.origin.map { ScheduleFiring(scheduleName: $0.schedule, firedAt: $0.firing.date) }
    }
}

extension Job.Attempt {
    init(_ record: AttemptRecord) {
        number = record.attempt
        startedAt = record.startedAt.date
        endedAt = record.finishedAt?.date
        outcome = record.outcome.map(Outcome.init)
        error = record.error
    }
}

extension Job.Attempt.Outcome {
    init(_ outcome: AttemptOutcome) {
        switch outcome {
        case .completed: self = .completed
        case .retried: self = .retried
        case .discarded: self = .discarded
        case .snoozed: self = .snoozed
        case .released: self = .released
        case .interrupted: self = .interrupted
        case .cancelled: self = .cancelled
        }
    }
}
