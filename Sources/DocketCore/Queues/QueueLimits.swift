/// A queue's limits as declared in code: how many of its jobs may run at once and, optionally, how
/// many may start per period.
package struct QueueLimits: Sendable, Hashable {
    /// The queue's name, as jobs give it.
    package var name: String
    /// The most jobs of the queue running at once, at least 1.
    package var maxRunning: Int
    /// The most starts per sliding period, when the queue is rate limited.
    package var rate: QueueRate?

    /// Limits for queue `name`.
    package init(name: String, maxRunning: Int, rate: QueueRate? = nil) {
        self.name = name
        self.maxRunning = maxRunning
        self.rate = rate
    }
}

/// A rate limit: at most `starts` jobs start in any window of `period`.
package struct QueueRate: Sendable, Hashable {
    /// Starts allowed per window, at least 1.
    package var starts: Int
    /// The window's length, above zero.
    package var period: Duration

    /// At most `starts` starts in any window of `period`.
    package init(starts: Int, period: Duration) {
        self.starts = starts
        self.period = period
    }
}

/// A queue as the journal keeps it: its limits while declared, its pause, and how many of its jobs
/// are running and scheduled.
package struct QueueRecord: Sendable, Hashable {
    /// The queue's name.
    package var name: String
    /// The limits of its latest declaration; nil when the latest declaration left it out.
    package var limits: QueueLimits?
    /// Whether claims skip the queue's jobs.
    package var isPaused: Bool
    /// The note given with the pause.
    package var pauseNote: String?
    /// When the pause was set.
    package var pausedAt: Timestamp?
    /// Jobs of the queue running now, as the job counts say.
    package var running: Int
    /// Jobs of the queue scheduled (due or not).
    package var scheduled: Int

    /// A queue record.
    package init(
        name: String, limits: QueueLimits?, isPaused: Bool, pauseNote: String?, pausedAt: Timestamp?, running: Int,
        scheduled: Int
    ) {
        self.name = name
        self.limits = limits
        self.isPaused = isPaused
        self.pauseNote = pauseNote
        self.pausedAt = pausedAt
        self.running = running
        self.scheduled = scheduled
    }
}

/// Why a store refused to change a queue.
package enum QueueRefusal: Error, Sendable, Hashable {
    /// The journal knows no queue of this name: none was ever declared with it.
    case notFound(String)
}

/// Why a claim took fewer jobs than it was allowed, when queue limits held jobs back, so that the
/// dispatcher knows when to claim again.
package struct ClaimHold: Sendable, Hashable {
    /// A queue with scheduled jobs was at its concurrency limit: a claim may find work once an
    /// attempt ends.
    package var atConcurrencyLimit: Bool
    /// The earliest instant at which a rate-limited queue with scheduled jobs has room again.
    package var rateRoomAt: Timestamp?

    /// A hold.
    package init(atConcurrencyLimit: Bool = false, rateRoomAt: Timestamp? = nil) {
        self.atConcurrencyLimit = atConcurrencyLimit
        self.rateRoomAt = rateRoomAt
    }
}
