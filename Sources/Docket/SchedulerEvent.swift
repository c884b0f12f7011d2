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
    private struct Subscriber {
        var continuation: AsyncStream<SchedulerEvent>.Continuation
        /// The kinds this subscriber wants; nil for all.
        var kinds: Set<SchedulerEvent.Kind>?
    }

    private struct State {
        var byToken: [Int: Subscriber] = [:]
        /// `byToken`'s values, rebuilt when someone subscribes or leaves, so that emitting copies no
        /// collection.
        var all: [Subscriber] = []
    }

    // Guards the subscribers.
    private let state = Locked(State())
    private let nextToken = Atomic<Int>(0)
    private let subscriberCount = Atomic<Int>(0)
    private let bufferLimit: Int

    init(bufferLimit: Int = 100_000) {
        self.bufferLimit = bufferLimit
    }

    func subscribe(kinds: Set<SchedulerEvent.Kind>?) -> AsyncStream<SchedulerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: SchedulerEvent.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        let token = nextToken.add(1, ordering: .relaxed).newValue
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let removed = self.state.withLock { state -> Bool in
                guard state.byToken.removeValue(forKey: token) != nil else { return false }
                state.all = Array(state.byToken.values)
                return true
            }
            if removed { self.subscriberCount.subtract(1, ordering: .relaxed) }
        }
        state.withLock { state in
            state.byToken[token] = Subscriber(continuation: continuation, kinds: kinds)
            state.all = Array(state.byToken.values)
        }
        subscriberCount.add(1, ordering: .relaxed)
        return stream
    }

    func emit(_ event: SchedulerEvent) {
        // Most schedulers have no subscriber; skip the lock for them.
        guard subscriberCount.load(ordering: .relaxed) > 0 else { return }
        let targets = state.withLock { $0.all }
        for target in targets where target.kinds?.contains(event.kind) ?? true {
            target.continuation.yield(event)
        }
    }

    func finishAll() {
        let targets = state.withLock { state in
            defer { state = State() }
            return state.all
        }
        subscriberCount.store(0, ordering: .relaxed)
        for target in targets { target.continuation.finish() }
    }
}
