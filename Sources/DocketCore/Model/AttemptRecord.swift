/// How an attempt ended.
package enum AttemptOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// The handler returned normally; the job completed.
    case completed
    /// The handler failed and the job was scheduled again.
    case retried
    /// The handler failed for the last time, or refused the job; the job was discarded.
    case discarded
    /// The handler asked to run again later; the attempt was given back.
    case snoozed
    /// A graceful shutdown stopped the attempt; the attempt was given back.
    case released
    /// The process running the attempt died; found and closed by crash recovery.
    case interrupted
    /// A user cancelled the job while the attempt ran; its handler's task was cancelled.
    case cancelled
}

/// One execution of a job: Mergent's invocation log, kept for every attempt.
package struct AttemptRecord: Sendable, Hashable {
    /// The job this attempt belongs to.
    package var jobID: JobID
    /// The job's attempt count when this attempt ran. A snoozed or released attempt gives its number
    /// back, so the next attempt may carry the same number.
    package var attempt: Int
    /// The scheduler instance that ran it.
    package var owner: String
    /// When the attempt was claimed.
    package var startedAt: Timestamp
    /// When it ended; nil while running.
    package var finishedAt: Timestamp?
    /// How it ended; nil while running.
    package var outcome: AttemptOutcome?
    /// The error text, for failed, discarded and interrupted attempts.
    package var error: String?

    /// An attempt row.
    package init(
        jobID: JobID, attempt: Int, owner: String, startedAt: Timestamp, finishedAt: Timestamp? = nil,
        outcome: AttemptOutcome? = nil, error: String? = nil
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.owner = owner
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.error = error
    }
}
