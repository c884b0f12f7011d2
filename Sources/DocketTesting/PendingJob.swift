import Docket
import Foundation

/// A scheduled job as a test sees it: what will run, when, and with which options.
///
/// ``Docket/JobScheduler/scheduledJobs(named:)`` gives the raw payload bytes;
/// ``Docket/JobScheduler/scheduledPayloads(of:)`` decodes them.
public struct PendingJob<Payload: Sendable>: Sendable {
    /// The job's id.
    public var id: JobID
    /// The job's name.
    public var name: String
    /// The payload: decoded, or the raw bytes.
    public var payload: Payload
    /// When the job is due.
    public var runAt: Date
    /// Attempts already spent: 0 for a job that has not run, more for one waiting to be retried.
    public var attempt: Int
    /// The job's options as the journal holds them, with the defaults it was given filled in:
    /// unique key and scope, priority, queue, max attempts, and its own timeout and retry strategy
    /// when it has them.
    public var options: JobOptions

    /// A pending job; the scheduler's queries make these.
    public init(id: JobID, name: String, payload: Payload, runAt: Date, attempt: Int, options: JobOptions) {
        self.id = id
        self.name = name
        self.payload = payload
        self.runAt = runAt
        self.attempt = attempt
        self.options = options
    }
}

extension PendingJob: Equatable where Payload: Equatable {}
extension PendingJob: Hashable where Payload: Hashable {}
