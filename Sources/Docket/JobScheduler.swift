import DocketCore
import DocketSQLite
import Foundation
import Logging
import ServiceLifecycle

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
/// Any number of processes may open a journal to schedule and inspect jobs, and any number of
/// schedulers may run it (see the article *Several processes on one journal*).
/// The journal stays open while the scheduler exists, so that jobs can be scheduled and inspected
/// before and after ``run()``; it is released when the last reference to the scheduler goes, or
/// earlier with ``close()``.
public final class JobScheduler: Sendable {
    let services: SchedulerServices
    /// Where `run()` is in its life, and who waits for it.
    let runControl = RunControl()

    /// Opens (or creates) the journal at `path` with `configuration`.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the file cannot be opened or created
    ///   (``DocketError/StorageFailure/Kind/cannotOpen``, ``DocketError/StorageFailure/Kind/readOnly``),
    ///   is not a Docket journal (``DocketError/StorageFailure/Kind/notAJournal``), or was written by a
    ///   newer Docket (``DocketError/StorageFailure/Kind/schemaTooNew(found:supported:)``). The file is
    ///   left untouched then. ``DocketError/invalidInput(_:)`` (field
    ///   ``DocketError/InvalidInput/Field/retention``) for a bad ``SchedulerConfiguration/retention``,
    ///   before the file is touched.
    public convenience init(path: String, configuration: SchedulerConfiguration = SchedulerConfiguration()) throws(DocketError) {
        try configuration.retention.validate()
        try configuration.queues.validate()
        let journal: SQLiteJournal
        do {
            journal = try SQLiteJournal(configuration: Self.journalConfiguration(.file(path: path), configuration))
        } catch {
            throw .storage(DocketError.StorageFailure(error))
        }
        self.init(store: journal, configuration: configuration)
    }

    /// A scheduler on a private in-memory journal that disappears with it: for tests and demos.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when SQLite cannot allocate the journal;
    ///   ``DocketError/invalidInput(_:)`` for a bad ``SchedulerConfiguration/retention``.
    public static func inMemory(configuration: SchedulerConfiguration = SchedulerConfiguration()) throws(DocketError) -> JobScheduler {
        try configuration.retention.validate()
        try configuration.queues.validate()
        do {
            let journal = try SQLiteJournal(configuration: journalConfiguration(.inMemory, configuration))
            return JobScheduler(store: journal, configuration: configuration)
        } catch {
            throw .storage(DocketError.StorageFailure(error))
        }
    }

    /// A scheduler on any `JobStore`: the package's own tools wrap the journal this way.
    ///
    /// - Parameters:
    ///   - store: where jobs are kept; each of its mutating calls is one transaction, as durable as
    ///     its durability setting promises when it returns.
    ///   - configuration: how the scheduler runs.
    ///
    /// The store registers the runners (its liveness, see `RunnerRegistryStore`): `run()` holds a
    /// registration there, and the start log lives where the registration says.
    package init(store: any JobStore, configuration: SchedulerConfiguration = SchedulerConfiguration()) {
        self.services = SchedulerServices(store: store, configuration: configuration)
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
        services.hub.subscribe(kinds: nil)
    }

    /// A stream of the events of the given kinds only, from now on: as ``events()``, but the
    /// scheduler does not hand this subscriber the others, which costs less when jobs are many and
    /// only some kinds matter (for example `[.failed, .discarded]` for alerting).
    public func events(of kinds: Set<SchedulerEvent.Kind>) -> AsyncStream<SchedulerEvent> {
        services.hub.subscribe(kinds: kinds)
    }

    /// Closes the journal now, instead of when the scheduler is released. Call it after ``run()``
    /// has returned, or in processes that only schedule.
    ///
    /// Calls made on the scheduler afterwards throw ``DocketError/storage(_:)`` of kind
    /// ``DocketError/StorageFailure/Kind/closed``.
    public func close() async {
        await store.close()
        services.hub.finishAll()
    }

    /// Hands a message to the runtime of `run()`, if it runs; dropped otherwise (the runtime reads
    /// the journal when it starts).
    func send(_ message: LoopMessage) {
        runControl.mailbox?.send(message)
    }

    // The shared services under the names the API's extensions use.
    package var store: any JobStore { services.store }
    var configuration: SchedulerConfiguration { services.configuration }
    var instanceID: String { services.instanceID }
    var logger: Logger { services.logger }
    var hub: EventHub { services.hub }
    var handlers: Locked<[String: RegisteredHandler]> { services.handlers }

    package func now() -> Timestamp { services.now() }

    func emit(
        _ kind: SchedulerEvent.Kind, jobID: JobID, jobName: String, attempt: Int? = nil, runAt: Timestamp? = nil,
        error: String? = nil
    ) {
        services.emit(kind, jobID: jobID, jobName: jobName, attempt: attempt, runAt: runAt, error: error)
    }

    func handler(for name: String) -> RegisteredHandler? { services.handler(for: name) }

    var handledNames: [String] { services.handledNames }

    func metadata(_ job: JobRecord) -> Logger.Metadata { services.metadata(job) }
}
