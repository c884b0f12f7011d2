import Docket
import Foundation

/// What ``Docket/JobScheduler/drainDueJobs(includingScheduled:recursively:)`` ran, and how each
/// attempt ended, as the journal recorded it.
public struct DrainResult: Sendable, Hashable {
    /// Every attempt the drain ran, in the order it ran them.
    public var jobs: [DrainedJob]

    /// A result of the attempts in `jobs`.
    public init(jobs: [DrainedJob]) {
        self.jobs = jobs
    }

    /// Attempts that completed their job.
    public var succeeded: Int { count { $0.outcome == .succeeded } }
    /// Attempts that failed with attempts left: their job is scheduled again under its retry policy.
    public var retrying: Int { count { if case .retrying = $0.outcome { true } else { false } } }
    /// Attempts that ended their job as discarded: attempts spent, or the handler refused the job.
    public var discarded: Int { count { $0.outcome == .discarded } }
    /// Attempts whose handler snoozed the job, giving the attempt back.
    public var snoozed: Int { count { if case .snoozed = $0.outcome { true } else { false } } }
    /// Attempts that failed: ``retrying`` plus ``discarded``.
    public var failed: Int { retrying + discarded }

    /// The attempts of job `id`, in the order they ran.
    public func attempts(of id: JobID) -> [DrainedJob] {
        jobs.filter { $0.id == id }
    }

    private func count(where matches: (DrainedJob) -> Bool) -> Int {
        jobs.reduce(0) { $0 + (matches($1) ? 1 : 0) }
    }
}

/// One attempt a drain ran.
public struct DrainedJob: Sendable, Hashable {
    /// The job's id.
    public var id: JobID
    /// The job's name.
    public var name: String
    /// The attempt's number, from 1.
    public var attempt: Int
    /// How the attempt ended.
    public var outcome: Outcome
    /// The error recorded for a failed or discarded attempt.
    public var error: String?

    /// How an attempt ended, as the journal recorded it.
    public enum Outcome: Sendable, Hashable {
        /// The handler returned; the job is completed.
        case succeeded
        /// The attempt failed with attempts left; the job runs again at this time.
        case retrying(at: Date)
        /// The job is discarded: its attempts are spent, or its handler refused it.
        case discarded
        /// The handler snoozed the job until this time, without spending the attempt.
        case snoozed(until: Date)
        /// The attempt was given back without counting, to run at this time.
        case givenBack(at: Date)
        /// The journal refused to record the end, because the job changed while it ran.
        case notRecorded(reason: String)
    }

    /// An attempt of job `id`.
    public init(id: JobID, name: String, attempt: Int, outcome: Outcome, error: String? = nil) {
        self.id = id
        self.name = name
        self.attempt = attempt
        self.outcome = outcome
        self.error = error
    }
}

/// Why a drain did not run.
public enum DrainError: Error, Sendable, CustomStringConvertible {
    /// ``Docket/JobScheduler/run()`` or another drain is running this scheduler's jobs; a drain runs
    /// jobs in place of the run loop, never beside it.
    case schedulerIsRunning
    /// The scheduler failed: the journal, or its runner file beside the journal.
    case scheduler(DocketError)

    /// What went wrong, in words.
    public var description: String {
        switch self {
        case .schedulerIsRunning:
            "the scheduler is running its jobs (run() or another drain); drain a scheduler that does not run"
        case .scheduler(let error):
            String(describing: error)
        }
    }
}
