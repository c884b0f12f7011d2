import Docket

/// A scheduler on a private in-memory journal and a ``ManualClock``, running in the background, with
/// its events at hand: for testing your own jobs in virtual time.
///
/// ```swift
/// let harness = try SchedulerTestHarness()
/// try harness.scheduler.register(SendWelcomeEmail.self) { job, _ in … }
/// harness.start()
/// let job = try await harness.scheduler.schedule(SendWelcomeEmail(userID: 1), .after(.seconds(30)))
/// harness.clock.advance(by: .seconds(30))
/// let done = await harness.next(.succeeded, of: job.id)
/// try await harness.stop()
/// ```
public final class SchedulerTestHarness {
    /// The virtual clock; move it with ``ManualClock/advance(by:)``.
    public let clock: ManualClock
    /// The scheduler under test.
    public let scheduler: JobScheduler
    /// Every event seen so far by ``next(_:of:)``, in order.
    public private(set) var seen: [SchedulerEvent] = []
    private var events: AsyncStream<SchedulerEvent>.AsyncIterator
    private var runner: Task<Void, any Error>?

    /// Makes the harness; `configure` adjusts the testing configuration before the scheduler opens.
    public init(
        seed: UInt64 = 0, configure: (inout SchedulerConfiguration) -> Void = { _ in }
    ) throws {
        let clock = ManualClock()
        var configuration = SchedulerConfiguration.testing(clock: clock, seed: seed)
        configure(&configuration)
        self.clock = clock
        self.scheduler = try JobScheduler.inMemory(configuration: configuration)
        self.events = scheduler.events().makeAsyncIterator()
    }

    /// Starts ``JobScheduler/run()`` in a background task.
    public func start() {
        let scheduler = self.scheduler
        runner = Task { try await scheduler.run() }
    }

    /// The next event of `kind` (for job `id`, when given), skipping others; nil when events end.
    public func next(_ kind: SchedulerEvent.Kind, of id: JobID? = nil) async -> SchedulerEvent? {
        while let event = await events.next() {
            seen.append(event)
            if event.kind == kind, id == nil || event.jobID == id { return event }
        }
        return nil
    }

    /// Cancels the run task (a shutdown without grace period) and waits for `run()` to return.
    public func stop() async throws {
        runner?.cancel()
        try await runner?.value
        runner = nil
    }

    /// Waits for `run()` to return by itself, for example after a graceful shutdown.
    public func waitForRunToReturn() async throws {
        try await runner?.value
        runner = nil
    }
}
