/// One queue as a claim sees it inside its transaction: its declared limits and pause, how many of
/// its jobs run and are scheduled, and its rate window.
package struct QueueStanding: Sendable {
    /// The queue's name.
    package var name: String
    /// Its limits while declared; nil: no limit but the global one.
    package var limits: QueueLimits?
    /// Whether it is paused: it gets no starts.
    package var isPaused: Bool
    /// Its jobs running now, the claimed ones included.
    package var running: Int
    /// Its scheduled jobs, due or not; 0 means there is nothing to claim.
    package var scheduled: Int
    /// Its rate window, when rate limited.
    package var window: RateWindow?

    /// A standing.
    package init(
        name: String, limits: QueueLimits?, isPaused: Bool, running: Int, scheduled: Int, window: RateWindow? = nil
    ) {
        self.name = name
        self.limits = limits
        self.isPaused = isPaused
        self.running = running
        self.scheduled = scheduled
        self.window = window
    }

    /// How many of its jobs a claim may start now: none while paused or with nothing scheduled,
    /// else what its concurrency limit and rate window leave, `Int.max` when it has no limit.
    package var allowance: Int {
        guard !isPaused, scheduled > 0 else { return 0 }
        var allowance = Int.max
        if let limits { allowance = max(0, limits.maxRunning - running) }
        if let window { allowance = min(allowance, window.room) }
        return allowance
    }

    /// Records that a claim started `count` of its jobs at `now`.
    package mutating func claimed(_ count: Int, at now: Timestamp) {
        guard count > 0 else { return }
        running += count
        scheduled = max(0, scheduled - count)
        window?.started(count, at: now)
    }

    /// What held this queue's jobs back after a claim, if anything did; `isDry`: the claim found
    /// no more due jobs in it, so nothing waits.
    package func hold(isDry: Bool) -> ClaimHold? {
        guard !isPaused, !isDry, scheduled > 0 else { return nil }
        var hold = ClaimHold()
        if let limits, running >= limits.maxRunning { hold.atConcurrencyLimit = true }
        if let window, window.room == 0 { hold.rateRoomAt = window.roomAt }
        return hold.atConcurrencyLimit || hold.rateRoomAt != nil ? hold : nil
    }
}

extension ClaimHold {
    /// The hold of a claim over several queues: each reason any of them has, the earliest room.
    package static func combining(_ holds: some Sequence<ClaimHold>) -> ClaimHold? {
        var combined: ClaimHold?
        for hold in holds {
            var next = combined ?? ClaimHold()
            next.atConcurrencyLimit = next.atConcurrencyLimit || hold.atConcurrencyLimit
            if let at = hold.rateRoomAt { next.rateRoomAt = min(next.rateRoomAt ?? at, at) }
            combined = next
        }
        return combined
    }
}
