import DocketCore
import Foundation
import Logging

/// What the public scheduler and the runtime of its `run()` share: the journal, the configuration,
/// the handlers, the event hub and the random generator behind retry jitter.
///
/// The runtime reads these and never calls back into ``JobScheduler``: calls flow from the scheduler
/// into the runtime (through its mailbox), and from both into the services.
final class SchedulerServices: Sendable {
    let store: any JobStore
    let configuration: SchedulerConfiguration
    /// Names this instance's leases, so crash recovery can tell its jobs from a dead instance's.
    let instanceID: String
    let logger: Logger
    let hub = EventHub()
    // Guards the handlers by job name; registration may happen while attempts look them up.
    let handlers = Locked<[String: RegisteredHandler]>([:])
    // Guards the generator: attempts on many threads draw retry jitter from it.
    let random: Locked<SplitMix64>
    /// Reads ``SchedulerConfiguration/wallClock`` in the journal's microseconds.
    let readWallClock: @Sendable () -> Timestamp
    // Guards the schedules declared in code, which `run()` reconciles when it starts; nil until
    // declared, so that a run without declarations leaves the journal's declared schedules alone.
    let declaredSchedules = Locked<[ScheduleDefinition]?>(nil)
    /// Parsed rules, by spec and anchor, so that firing does not parse each rule again.
    let recurrences = RecurrenceCache()
    /// The configuration's middleware; nil when there is none, and attempts call handlers directly.
    let middleware: MiddlewareChain?
    /// The first ``DocketMetrics`` among the middleware, which counts schedule firings too.
    let metrics: DocketMetrics?
    /// The first ``DocketTracing`` among the middleware, which keeps the trace context of the jobs
    /// this process schedules.
    let tracing: DocketTracing?
    /// Whether the runtime of `run()` leads the journal's runners (see ``checkLeadership()``); false
    /// while it does not run.
    let leading = Locked(false)
    /// How many times the journal was asked: for tests.
    let leadershipChecks = Locked(0)

    init(store: any JobStore, configuration: SchedulerConfiguration) {
        self.store = store
        self.configuration = configuration
        self.instanceID = UUID().uuidString.lowercased()
        self.logger = configuration.logger
        var system = SystemRandomNumberGenerator()
        self.random = Locked(SplitMix64(seed: configuration.randomSeed ?? system.next()))
        self.readWallClock = configuration.wallClock.timestampReader
        self.middleware = MiddlewareChain(configuration.middleware)
        self.metrics = configuration.middleware.lazy.compactMap { $0 as? DocketMetrics }.first
        self.tracing = configuration.middleware.lazy.compactMap { $0 as? DocketTracing }.first
    }

    func now() -> Timestamp {
        readWallClock()
    }

    /// Hands an event to the subscribers that want its kind; it is built only if one does.
    func emit(
        _ kind: SchedulerEvent.Kind, jobID: JobID, jobName: String, attempt: Int? = nil, runAt: Timestamp? = nil,
        error: String? = nil
    ) {
        guard hub.wants(kind) else { return }
        hub.emit(SchedulerEvent(kind, jobID: jobID, jobName: jobName, attempt: attempt, runAtTimestamp: runAt, error: error))
    }

    func handler(for name: String) -> RegisteredHandler? {
        handlers.withLock { $0[name] }
    }

    func hasHandler(for name: String) -> Bool {
        handlers.withLock { $0[name] != nil }
    }

    var handledNames: [String] {
        handlers.withLock { Array($0.keys) }
    }

    /// The retry policy of a job: its own override, else its handler's, else the configuration's.
    func policy(for job: JobRecord) -> RetryPolicy {
        policy(for: job, handlerPolicy: handler(for: job.name)?.options.retry)
    }

    /// The retry policy of a job whose handler's policy is known.
    func policy(for job: JobRecord, handlerPolicy: RetryPolicy?) -> RetryPolicy {
        if let text = job.retryOverride, let strategy = RetryStrategy(storageText: text) {
            return .strategy(strategy)
        }
        return handlerPolicy ?? configuration.defaultRetryPolicy
    }

    func metadata(_ job: JobRecord) -> Logger.Metadata {
        [
            "job.id": "\(job.id)", "job.name": "\(job.name)", "job.attempt": "\(job.attempt)",
            "job.queue": "\(job.queue)",
        ]
    }
}
