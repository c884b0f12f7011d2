import DocketCore
import Synchronization

/// Something that happened to a job, as seen by the scheduler.
public struct SchedulerEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The job was committed to the journal.
        case scheduled
        /// An attempt started.
        case started
        /// An attempt succeeded; the job completed.
        case succeeded
        /// An attempt failed (a retry or a discard follows).
        case failed
        /// A failed job will run again at ``SchedulerEvent/runAt``.
        case retryScheduled
        /// The handler snoozed the job until ``SchedulerEvent/runAt``.
        case snoozed
        /// The job was discarded: attempts spent, or refused by its handler.
        case discarded
        /// The job was cancelled.
        case cancelled
        /// Crash recovery found the job running under a dead process and scheduled or discarded it.
        case rescued
        /// A shutdown stopped the attempt; the job was given back to the journal.
        case released
        /// The job is due but no handler is registered for its name; it waits in the journal.
        case waitingForHandler
    }

    /// What happened.
    public var kind: Kind
    /// The job.
    public var jobID: JobID
    /// The job's name.
    public var jobName: String
    /// The attempt concerned, where one is.
    public var attempt: Int?
    /// The next run-at, for scheduled, retry, snooze and rescue events.
    public var runAt: Timestamp?
    /// The error, for failures and discards.
    public var error: String?

    /// An event of `kind` about a job.
    public init(
        _ kind: Kind, jobID: JobID, jobName: String, attempt: Int? = nil, runAt: Timestamp? = nil,
        error: String? = nil
    ) {
        self.kind = kind
        self.jobID = jobID
        self.jobName = jobName
        self.attempt = attempt
        self.runAt = runAt
        self.error = error
    }

    /// A one-line summary, for logs and demos.
    public var description: String {
        var text = "\(kind.rawValue) \(jobName)#\(jobID)"
        if let attempt { text += " attempt \(attempt)" }
        if let error { text += ": \(error)" }
        return text
    }
}

/// Fans events out to every subscriber's stream.
final class EventHub: Sendable {
    private let subscribers = Locked<[Int: AsyncStream<SchedulerEvent>.Continuation]>([:])
    private let nextToken = Atomic<Int>(0)
    private let subscriberCount = Atomic<Int>(0)
    private let bufferLimit: Int

    init(bufferLimit: Int = 100_000) {
        self.bufferLimit = bufferLimit
    }

    func subscribe() -> AsyncStream<SchedulerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: SchedulerEvent.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        let token = nextToken.add(1, ordering: .relaxed).newValue
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            if self.subscribers.withLock({ $0.removeValue(forKey: token) }) != nil {
                self.subscriberCount.subtract(1, ordering: .relaxed)
            }
        }
        subscribers.withLock { $0[token] = continuation }
        subscriberCount.add(1, ordering: .relaxed)
        return stream
    }

    func emit(_ event: SchedulerEvent) {
        // Most schedulers have no subscriber; skip the lock and the copy for them.
        guard subscriberCount.load(ordering: .relaxed) > 0 else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for continuation in targets { continuation.yield(event) }
    }

    func finishAll() {
        let targets = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        subscriberCount.store(0, ordering: .relaxed)
        for continuation in targets { continuation.finish() }
    }
}
