import DocketCore
import DocketSQLite
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs delayed and recurring work inside the host process, durably.
///
/// Open one on a journal file, register handlers, schedule jobs, and run it as a `Service` (or call
/// ``run()`` in a task of your own). Every job is committed to the journal before `schedule` returns.
///
/// ```swift
/// let scheduler = try JobScheduler(path: "/var/lib/myapp/jobs.docket")
/// try scheduler.register(SendWelcomeEmail.self) { job, context in
///     try await mailer.send(to: job.userID)
/// }
/// try await scheduler.schedule(SendWelcomeEmail(userID: 42), .after(.seconds(30)))
/// try await scheduler.run()
/// ```
///
/// Any number of processes may open a journal to schedule and inspect jobs; one at a time may run it.
public final class JobScheduler: Sendable {
    let store: any JobStore
    let configuration: SchedulerConfiguration
    let runnerLockPath: String?
    /// Names this instance's leases, so crash recovery can tell its jobs from a dead instance's.
    let instanceID: String
    let logger: Logger
    let hub = EventHub()
    let handlers = Locked<[String: RegisteredHandler]>([:])
    /// The run loop's inbox while `run()` is active.
    let mailbox = Locked<LoopMailbox?>(nil)
    let random: Locked<SplitMix64>

    /// Opens (or creates) the journal at `path` with `configuration`.
    ///
    /// - Throws: ``DocketError/journal(_:)`` when the file cannot be opened, is not a Docket journal,
    ///   or was written by a newer Docket.
    public convenience init(path: String, configuration: SchedulerConfiguration = SchedulerConfiguration()) throws(DocketError) {
        let journal: SQLiteJournal
        do {
            journal = try SQLiteJournal(configuration: Self.journalConfiguration(.file(path: path), configuration))
        } catch let error as JournalError {
            throw .journal(error)
        } catch {
            throw .journal(JournalError(kind: .other, message: String(describing: error)))
        }
        self.init(store: journal, runnerLockPath: path + "-runner", configuration: configuration)
    }

    /// A scheduler on a private in-memory journal that disappears with it: for tests and demos.
    public static func inMemory(configuration: SchedulerConfiguration = SchedulerConfiguration()) throws(DocketError) -> JobScheduler {
        do {
            let journal = try SQLiteJournal(configuration: journalConfiguration(.inMemory, configuration))
            return JobScheduler(store: journal, runnerLockPath: nil, configuration: configuration)
        } catch let error as JournalError {
            throw .journal(error)
        } catch {
            throw .journal(JournalError(kind: .other, message: String(describing: error)))
        }
    }

    /// A scheduler on any `JobStore`.
    ///
    /// - Parameters:
    ///   - store: where jobs are kept; each of its mutating calls is one transaction, as durable as
    ///     its durability setting promises when it returns.
    ///   - runnerLockPath: a file whose lock keeps a second runner off the same store, or nil when the
    ///     store enforces that itself.
    ///   - configuration: how the scheduler runs.
    public init(store: any JobStore, runnerLockPath: String?, configuration: SchedulerConfiguration = SchedulerConfiguration()) {
        self.store = store
        self.configuration = configuration
        self.runnerLockPath = runnerLockPath
        self.instanceID = UUID().uuidString.lowercased()
        self.logger = configuration.logger
        var system = SystemRandomNumberGenerator()
        self.random = Locked(SplitMix64(seed: configuration.randomSeed ?? system.next()))
    }

    private static func journalConfiguration(_ location: JournalConfiguration.Location, _ configuration: SchedulerConfiguration) -> JournalConfiguration {
        var journal = JournalConfiguration(location: location)
        journal.durability = configuration.durability
        journal.busyTimeout = configuration.busyTimeout
        journal.maxPayloadBytes = configuration.maxPayloadBytes
        return journal
    }

    /// A stream of what happens to jobs from now on. Each call makes a new subscriber; the stream
    /// ends when the scheduler closes.
    ///
    /// Each subscriber's stream buffers the newest 100,000 events: a subscriber that falls further
    /// behind loses the oldest ones. Events are for watching; the journal (``job(_:)``, ``counts()``)
    /// is the record.
    public func events() -> AsyncStream<SchedulerEvent> {
        hub.subscribe(kinds: nil)
    }

    /// A stream of the events of the given kinds only, from now on: as ``events()``, but the
    /// scheduler does not hand this subscriber the others, which costs less when jobs are many and
    /// only some kinds matter (for example `[.failed, .discarded]` for alerting).
    public func events(of kinds: Set<SchedulerEvent.Kind>) -> AsyncStream<SchedulerEvent> {
        hub.subscribe(kinds: kinds)
    }

    /// Closes the journal. Call it after ``run()`` has returned, or in processes that only schedule.
    public func close() async {
        await store.close()
        hub.finishAll()
    }

    /// Hands an event to the subscribers that want its kind; it is built only if one does.
    func emit(
        _ kind: SchedulerEvent.Kind, jobID: JobID, jobName: String, attempt: Int? = nil, runAt: Timestamp? = nil,
        error: String? = nil
    ) {
        guard hub.wants(kind) else { return }
        hub.emit(SchedulerEvent(kind, jobID: jobID, jobName: jobName, attempt: attempt, runAt: runAt, error: error))
    }

    func send(_ message: LoopMessage) {
        mailbox.withLock { $0 }?.send(message)
    }

    func now() -> Timestamp {
        configuration.wallClock.now()
    }
}
