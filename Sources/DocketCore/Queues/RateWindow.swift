/// The starts of a rate-limited queue within its sliding window, as the journal keeps them, and the
/// room they leave.
///
/// A start is kept at the time of the claim that took the job. The window at instant `t` holds the
/// starts later than `t - period`; a claim at `now` counts every kept start later than
/// `now - period`, including any dated after `now`, so no window of `period`, wherever it lies,
/// ever holds more than ``QueueRate/starts``.
package struct RateWindow: Sendable {
    /// The limit.
    package let rate: QueueRate
    /// Starts in the window: (instant, how many), oldest first.
    package private(set) var starts: [(at: Timestamp, count: Int)]

    /// The window at `now` over `starts` (any order; those at or before `now - period` are left out).
    package init(rate: QueueRate, starts: [(at: Timestamp, count: Int)], now: Timestamp) {
        self.rate = rate
        let cutoff = now - rate.period
        self.starts = starts.filter { $0.at > cutoff && $0.count > 0 }.sorted { $0.at < $1.at }
    }

    /// Starts counted in the window.
    package var count: Int { starts.reduce(0) { $0 + $1.count } }

    /// Starts the window still allows.
    package var room: Int { max(0, rate.starts - count) }

    /// Records `count` starts at `at`.
    package mutating func started(_ count: Int, at: Timestamp) {
        guard count > 0 else { return }
        starts.append((at, count))
        starts.sort { $0.at < $1.at }
    }

    /// When the window next has room for one start, nil when it has room now: the moment enough of
    /// the oldest starts have left it.
    package var roomAt: Timestamp? {
        var excess = count - rate.starts + 1
        guard excess > 0 else { return nil }
        for start in starts {
            excess -= start.count
            if excess <= 0 { return start.at + rate.period }
        }
        return nil
    }

}
