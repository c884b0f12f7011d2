import DocketCore
import Foundation
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
        /// Retention deleted the ended job, with its attempts (``JobRetention``).
        case pruned

        /// One bit per kind, for the set of kinds some subscriber wants.
        var bit: Int {
            switch self {
            case .scheduled: 1 << 0
            case .started: 1 << 1
            case .succeeded: 1 << 2
            case .failed: 1 << 3
            case .retryScheduled: 1 << 4
            case .snoozed: 1 << 5
            case .discarded: 1 << 6
            case .cancelled: 1 << 7
            case .rescued: 1 << 8
            case .released: 1 << 9
            case .waitingForHandler: 1 << 10
            case .pruned: 1 << 11
            }
        }
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
    public var runAt: Date? {
        get { runAtTimestamp?.date }
        set { runAtTimestamp = newValue.map(Timestamp.init) }
    }
    /// The error, for failures and discards.
    public var error: String?
    /// ``runAt`` in the journal's microseconds, exact: tests in virtual time compare these.
    package var runAtTimestamp: Timestamp?

    /// An event of `kind` about a job.
    public init(
        _ kind: Kind, jobID: JobID, jobName: String, attempt: Int? = nil, runAt: Date? = nil,
        error: String? = nil
    ) {
        self.init(kind, jobID: jobID, jobName: jobName, attempt: attempt, runAtTimestamp: runAt.map(Timestamp.init), error: error)
    }

    /// An event of `kind` whose run-at is a journal instant.
    package init(
        _ kind: Kind, jobID: JobID, jobName: String, attempt: Int?, runAtTimestamp: Timestamp?, error: String?
    ) {
        self.kind = kind
        self.jobID = jobID
        self.jobName = jobName
        self.attempt = attempt
        self.runAtTimestamp = runAtTimestamp
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
    /// The kinds some subscriber wants, as ``SchedulerEvent/Kind/bit``s: emitting a kind nobody
    /// wants costs one atomic load.
    private let wanted = Atomic<Int>(0)
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
            self.state.withLock { state in
                guard state.byToken.removeValue(forKey: token) != nil else { return }
                self.update(&state)
            }
        }
        state.withLock { state in
            state.byToken[token] = Subscriber(continuation: continuation, kinds: kinds)
            update(&state)
        }
        return stream
    }

    /// Rebuilds the snapshot and the wanted kinds after a change of subscribers. Call holding the lock.
    private func update(_ state: inout State) {
        state.all = Array(state.byToken.values)
        let all = SchedulerEvent.Kind.allCases.reduce(0) { $0 | $1.bit }
        wanted.store(state.all.reduce(0) { $0 | ($1.kinds?.reduce(0) { $0 | $1.bit } ?? all) }, ordering: .relaxed)
    }

    /// Whether some subscriber wants events of `kind`.
    func wants(_ kind: SchedulerEvent.Kind) -> Bool {
        wanted.load(ordering: .relaxed) & kind.bit != 0
    }

    func emit(_ event: SchedulerEvent) {
        // Most events have no subscriber; skip the lock for them.
        guard wanted.load(ordering: .relaxed) & event.kind.bit != 0 else { return }
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
        wanted.store(0, ordering: .relaxed)
        for target in targets { target.continuation.finish() }
    }
}
