/// What a schedule does about firings it missed while no scheduler ran its journal (or while the
/// scheduler was too busy to fire on time).
///
/// A firing is *on time* when the scheduler reaches it within ``onTimeAllowance`` (one minute) of its
/// instant: it always creates its job. Older due firings were *missed*: the policy picks which of them
/// still create a job, and the rest are counted as missed (a schedule's inspection shows the count). With a process down from 09:10 to 12:10 and an hourly rule:
///
/// | policy | jobs created at 12:10 | counted as missed |
/// |---|---|---|
/// | ``none`` | none | 3 (10:00, 11:00, 12:00) |
/// | ``latest`` (the default) | 12:00 | 2 |
/// | ``all(limit:)`` | 10:00, 11:00 and 12:00 | 0 |
///
/// In every case the next firing is 13:00. Jobs created for missed firings are due at their firing
/// instant, so they run at once, oldest first.
public struct CatchUpPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Which missed firings create a job.
    public enum Mode: Sendable, Hashable {
        /// Missed firings are only counted.
        case countOnly
        /// The most recent missed firing.
        case latest
        /// The most recent `limit` missed firings (1 to ``CatchUpPolicy/maximumLimit``), in order.
        case all(limit: Int)
    }

    /// Which missed firings create a job.
    public var mode: Mode
    /// Firings missed by more than this are dropped (counted as missed) whatever the mode; nil keeps
    /// no window.
    public var window: Duration?

    /// A policy of `mode`, dropping firings older than `window` when one is given.
    public init(mode: Mode, window: Duration? = nil) {
        self.mode = mode
        self.window = window
    }

    /// Creates nothing for missed firings.
    public static let none = CatchUpPolicy(mode: .countOnly)
    /// Creates one job, for the most recent missed firing. The default: a schedule that missed a run
    /// (a nightly report, a sync) usually needs to run once now, not once per missed firing.
    public static let latest = CatchUpPolicy(mode: .latest)
    /// Creates a job for each missed firing, the most recent `limit` of them (100 unless given).
    public static func all(limit: Int = 100) -> CatchUpPolicy { CatchUpPolicy(mode: .all(limit: limit)) }

    /// This policy, dropping firings missed by more than `window`.
    ///
    /// ```swift
    /// .all(limit: 24).within(.seconds(6 * 3600))    // what was missed in the last six hours
    /// ```
    public func within(_ window: Duration) -> CatchUpPolicy { CatchUpPolicy(mode: mode, window: window) }

    /// How late a firing may be reached and still count as on time: one minute.
    public static let onTimeAllowance: Duration = .seconds(60)
    /// The most missed firings one catch-up creates jobs for.
    public static let maximumLimit = 10_000

    /// How many missed firings create a job at most.
    package var keep: Int {
        switch mode {
        case .countOnly: 0
        case .latest: 1
        case .all(let limit): limit
        }
    }

    /// `latest`, `none`, `all(limit: 100)`, with ` within 21600s` when a window is set.
    public var description: String {
        let base = switch mode {
        case .countOnly: "none"
        case .latest: "latest"
        case .all(let limit): "all(limit: \(limit))"
        }
        guard let window else { return base }
        return base + " within \(window)"
    }
}
