import DocketCore

/// How long ended jobs stay in the journal before the scheduler deletes them, with their attempts
/// and payload: what ``SchedulerConfiguration/retention`` says.
///
/// A running scheduler prunes on its own, every ``interval`` (first when ``JobScheduler/run()``
/// starts), in batches of at most ``batchSize`` jobs, each one short write transaction, with a pause
/// after each full batch so that claims and firings go on in between. ``JobScheduler/prune(dryRun:)``
/// prunes (or counts) on demand, with or without `run()`.
///
/// A job is pruned once its end (`finishedAt`) is older than its state's keep duration. Pruning
/// never touches a scheduled or running job. A unique key that a completed job held
/// (`UniqueScope.whileActiveOrCompleted`) is free again once that job is pruned. A schedule whose
/// latest job was pruned goes on firing: a missing job counts as ended.
///
/// ```swift
/// var configuration = SchedulerConfiguration()
/// configuration.retention = JobRetention(completed: .hours(1), discarded: .forever)
/// ```
public struct JobRetention: Sendable, Hashable {
    /// How long jobs of one state are kept after they ended.
    public enum Keep: Sendable, Hashable, CustomStringConvertible {
        /// Never pruned.
        case forever
        /// Pruned once they ended longer ago than this: not negative, at most 100 years; zero prunes
        /// them at the next pass.
        case `for`(Duration)

        /// Kept for `hours` hours.
        public static func hours(_ hours: Int) -> Keep { .for(.seconds(Int64(hours) * 3_600)) }

        /// Kept for `days` days of 24 hours.
        public static func days(_ days: Int) -> Keep { .for(.seconds(Int64(days) * 86_400)) }

        /// `forever`, or the duration.
        public var description: String {
            switch self {
            case .forever: "forever"
            case .for(let duration): "\(duration)"
            }
        }
    }

    /// How long completed jobs are kept: 24 hours by default.
    public var completed: Keep
    /// How long cancelled jobs are kept: 24 hours by default.
    public var cancelled: Keep
    /// How long discarded jobs (spent or refused, with their error history) are kept: 7 days by default.
    public var discarded: Keep
    /// How often a running scheduler prunes: every minute by default; above zero, at most a day.
    /// A pass whose batch came back full goes on after a short pause instead.
    public var interval: Duration = .seconds(60)
    /// The most jobs one batch deletes, in one write transaction with their attempts: 1 to 10,000,
    /// 500 by default. Smaller batches hold the journal's writer for less time each.
    public var batchSize: Int = 500

    /// Keep durations per ended state; the defaults are 24 hours, 24 hours and 7 days.
    public init(completed: Keep = .hours(24), cancelled: Keep = .hours(24), discarded: Keep = .days(7)) {
        self.completed = completed
        self.cancelled = cancelled
        self.discarded = discarded
    }

    /// Keeps every ended job forever: nothing is ever pruned.
    public static var forever: JobRetention {
        JobRetention(completed: .forever, cancelled: .forever, discarded: .forever)
    }

    /// The keep duration of `state`; nil for the states that have not ended, which are never pruned.
    public func keep(for state: JobState) -> Keep? {
        switch state {
        case .scheduled, .running: nil
        case .completed: completed
        case .cancelled: cancelled
        case .discarded: discarded
        }
    }

    /// The longest keep duration accepted: what the journal's microseconds hold with room to spare.
    static let longestKeep: Duration = .seconds(100 * 366 * 86_400)

    /// Throws ``DocketError/invalidInput(_:)`` (field ``DocketError/InvalidInput/Field/retention``)
    /// for a negative or too long keep duration, an interval that is not above zero or over a day,
    /// or a batch size outside 1…10,000.
    package func validate() throws(DocketError) {
        for state in [JobState.completed, .cancelled, .discarded] {
            guard case .for(let duration) = keep(for: state) else { continue }
            if duration < .zero {
                throw .invalid(.retention, "\(state): \(duration)", "a keep duration cannot be negative; use .for(.zero) to prune at the next pass")
            }
            if duration > Self.longestKeep {
                throw .invalid(.retention, "\(state): \(duration)", "a keep duration is at most 100 years; use .forever to keep jobs for good")
            }
        }
        if interval <= .zero || interval > .seconds(86_400) {
            throw .invalid(.retention, "interval: \(interval)", "the prune interval must be above zero and at most a day")
        }
        if !(1...10_000).contains(batchSize) {
            throw .invalid(.retention, "batchSize: \(batchSize)", "the batch size must be from 1 to 10,000")
        }
    }

    /// What to delete at `now`: per ended state kept for a while, the instant before which its jobs
    /// ended. Call on a validated value.
    func request(now: Timestamp, vacuumPages: Int) -> PruneRequest {
        var cutoffs: [JobState: Timestamp] = [:]
        for state in [JobState.completed, .cancelled, .discarded] {
            if case .for(let duration) = keep(for: state) { cutoffs[state] = now - duration }
        }
        return PruneRequest(cutoffs: cutoffs, batchSize: batchSize, vacuumPages: vacuumPages)
    }
}
