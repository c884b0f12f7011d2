import DocketCore

/// A queue declared in code: how many of its jobs may run at once and, optionally, how many may
/// start per period. Declare queues in ``SchedulerConfiguration/queues``.
///
/// ```swift
/// configuration.queues = [
///     JobQueue("mail", maxConcurrentJobs: 4, rateLimit: .init(starts: 100, per: .seconds(60))),
///     JobQueue("reports", maxConcurrentJobs: 1),
/// ]
/// ```
///
/// The global ``SchedulerConfiguration/maxConcurrentJobs`` still bounds everything. A job names its
/// queue with ``JobOptions/queue``; jobs of queues not declared have no limit but the global one.
public struct JobQueue: Sendable, Hashable {
    /// At most ``starts`` jobs of the queue start in any window of ``period``.
    public struct RateLimit: Sendable, Hashable {
        /// Starts allowed per window: at least 1.
        public var starts: Int
        /// The window's length: above zero, at most a day.
        public var period: Duration

        /// At most `starts` starts in any window of `period`.
        public init(starts: Int, per period: Duration) {
            self.starts = starts
            self.period = period
        }
    }

    /// The queue's name, as ``JobOptions/queue`` gives it: 1 to 255 UTF-8 bytes.
    public var name: String
    /// How many of the queue's jobs may run at once: at least 1.
    public var maxConcurrentJobs: Int
    /// How many of its jobs may start per period; nil: no rate limit.
    public var rateLimit: RateLimit?

    /// A queue named `name` running at most `maxConcurrentJobs` of its jobs at once, and starting at
    /// most `rateLimit`'s starts per period when given.
    public init(_ name: String, maxConcurrentJobs: Int, rateLimit: RateLimit? = nil) {
        self.name = name
        self.maxConcurrentJobs = maxConcurrentJobs
        self.rateLimit = rateLimit
    }

    /// The longest rate-limit period: starts are kept in the journal for as long as their window.
    public static let longestRatePeriod: Duration = .seconds(86_400)

    var limits: QueueLimits {
        QueueLimits(name: name, maxRunning: maxConcurrentJobs, rate: rateLimit.map { QueueRate(starts: $0.starts, period: $0.period) })
    }
}

extension [JobQueue] {
    /// Checks every declaration: names, limits, and no name twice.
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` with field ``DocketError/InvalidInput/Field/queue``
    ///   for a bad or repeated name, ``DocketError/InvalidInput/Field/queueLimit`` for a limit below 1
    ///   or a period not above zero or over ``JobQueue/longestRatePeriod``.
    func validate() throws(DocketError) {
        var seen: Set<String> = []
        for queue in self {
            try JobValidation.validate(queue: queue.name)
            guard seen.insert(queue.name).inserted else {
                throw .invalid(.queue, queue.name, "the queue '\(queue.name)' is declared twice: declare each queue once")
            }
            guard queue.maxConcurrentJobs >= 1 else {
                throw .invalid(
                    .queueLimit, "\(queue.maxConcurrentJobs)",
                    "the queue '\(queue.name)' must allow at least 1 job at once (maxConcurrentJobs)")
            }
            guard let rate = queue.rateLimit else { continue }
            guard rate.starts >= 1 else {
                throw .invalid(
                    .queueLimit, "\(rate.starts)", "the rate limit of '\(queue.name)' must allow at least 1 start per period")
            }
            guard rate.period > .zero, rate.period <= JobQueue.longestRatePeriod else {
                throw .invalid(
                    .queueLimit, "\(rate.period)",
                    "the rate limit period of '\(queue.name)' must be above zero and at most a day")
            }
        }
    }
}
