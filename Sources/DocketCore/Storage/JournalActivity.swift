/// One thing that happened to a job, as ``JobStore/activity(after:limit:)`` reads it back from the
/// journal: what `docket tail` prints.
package struct ActivityEntry: Sendable, Hashable {
    /// What happened.
    package enum Kind: Sendable, Hashable {
        /// The job was added (by any process).
        case scheduled(runAt: Timestamp)
        /// An attempt started.
        case started
        /// An attempt ended and the job goes on: retried, snoozed, released or interrupted.
        case attemptEnded(AttemptOutcome)
        /// The job ended: completed, discarded or cancelled.
        case ended(JobState)

        /// The order of the kinds in one job's life, for changes that share an instant.
        package var order: Int {
            switch self {
            case .scheduled: 0
            case .started: 1
            case .attemptEnded: 2
            case .ended: 3
            }
        }
    }

    package var kind: Kind
    package var jobID: JobID
    package var name: String
    package var queue: String
    /// The job's attempt count at the event.
    package var attempt: Int
    /// When it happened, by the clock of the process that did it.
    package var at: Timestamp
    /// The error an ended attempt or job recorded.
    package var error: String?

    package init(kind: Kind, jobID: JobID, name: String, queue: String, attempt: Int, at: Timestamp, error: String? = nil) {
        self.kind = kind
        self.jobID = jobID
        self.name = name
        self.queue = queue
        self.attempt = attempt
        self.at = at
        self.error = error
    }
}

/// Where a reader of ``JobStore/activity(after:limit:)`` stands: each kind of change is read from
/// its own ordered index, so each has its own position.
package struct ActivityCursor: Sendable, Hashable {
    /// The newest job id seen: jobs added after it are new.
    package var newestJob: JobID
    /// The newest attempt row seen.
    package var attemptSequence: Int64
    /// Per ended state, the last job seen ending, in (end time, id) order.
    package var ended: [JobState: EndedPosition]
    /// The running jobs at the last read, with the attempt each was on.
    package var running: [JobID: Int]

    package struct EndedPosition: Sendable, Hashable {
        package var at: Timestamp
        package var job: JobID

        package init(at: Timestamp, job: JobID) {
            self.at = at
            self.job = job
        }
    }

    package init(newestJob: JobID, attemptSequence: Int64, ended: [JobState: EndedPosition], running: [JobID: Int]) {
        self.newestJob = newestJob
        self.attemptSequence = attemptSequence
        self.ended = ended
        self.running = running
    }
}
