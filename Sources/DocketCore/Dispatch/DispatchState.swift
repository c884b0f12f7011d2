/// The dispatcher's decisions, as a value type: what to load, when to claim, how long to sleep.
///
/// The scheduler's run loop feeds it what happened (a refill, a claim, a finished job, a job this
/// process scheduled) and asks ``nextAction(now:)`` what to do; the loop performs the I/O. Keeping
/// the decisions here makes them testable without a journal or a clock.
///
/// The timer index holds only the scheduled jobs due within `horizon` and strictly in the future;
/// jobs already due are found by claiming, which the journal answers in (priority, run-at, id) order.
/// So a backlog of due jobs never has to pass through memory, and far-future jobs stay on disk.
public struct DispatchState: Sendable {
    /// What the run loop should do next.
    public enum Action: Sendable, Hashable {
        /// Load the scheduled jobs due after `after` and at or before `through`, at most `limit`, and
        /// report them with ``refilled(_:after:through:limit:)``.
        case refill(after: Timestamp, through: Timestamp, limit: Int)
        /// Claim up to `limit` jobs due by `dueBy` and report them with ``claimed(_:limit:dueBy:)``.
        case claim(dueBy: Timestamp, limit: Int)
        /// Nothing to do until `until` (nil: until something happens).
        case sleep(until: Timestamp?)
    }

    /// Handlers allowed to run at once.
    public let capacity: Int
    /// The largest claim.
    public let claimBatchSize: Int
    /// How far ahead the timer index looks.
    public let horizon: Duration
    /// The most entries one refill loads.
    public let refillLimit: Int

    /// The future deadlines within the horizon.
    public private(set) var timers = TimerIndex()
    /// Attempts in progress.
    public private(set) var running = 0
    /// The timer index holds every known scheduled job due after the last refill and up to here.
    public private(set) var loadedThrough = Timestamp.distantPast
    /// Whether the last refill hit its limit, so `loadedThrough` stops short of the horizon.
    public private(set) var refillWasLimited = false
    /// Whether due jobs may be waiting in the journal beyond what the timer index shows.
    public private(set) var mayHaveDueJobs = true
    /// Whether claiming has stopped for shutdown.
    public private(set) var isDraining = false
    private var refillRequested = true

    /// A dispatcher for `capacity` concurrent attempts.
    public init(capacity: Int, claimBatchSize: Int = 256, horizon: Duration = .seconds(60), refillLimit: Int = 10_000) {
        self.capacity = max(1, capacity)
        self.claimBatchSize = max(1, claimBatchSize)
        self.horizon = max(horizon, .milliseconds(2))
        self.refillLimit = max(1, refillLimit)
    }

    /// What to do at `now`.
    /// - Complexity: O(1).
    public mutating func nextAction(now: Timestamp) -> Action {
        if needsRefill(now: now) {
            return .refill(after: now, through: now + horizon, limit: refillLimit)
        }
        let free = capacity - running
        if !isDraining, free > 0, mayHaveDueJobs || (timers.min.map { $0.deadline <= now } ?? false) {
            return .claim(dueBy: now, limit: Swift.min(free, claimBatchSize))
        }
        return .sleep(until: wakeDeadline)
    }

    /// The earliest instant at which ``nextAction(now:)`` may answer differently without any other
    /// event: the next timer deadline or the next refill.
    public var wakeDeadline: Timestamp? {
        let refillAt = refillWasLimited ? loadedThrough : loadedThrough - horizon / 2
        guard !isDraining, running < capacity, let next = timers.min?.deadline else { return refillAt }
        return Swift.min(next, refillAt)
    }

    private func needsRefill(now: Timestamp) -> Bool {
        if refillRequested { return true }
        if refillWasLimited {
            return now >= loadedThrough || timers.count <= refillLimit / 4
        }
        return now >= loadedThrough - horizon / 2
    }

    /// Asks for a refill before anything else: after a handler is registered, or as the safety poll
    /// that finds jobs other processes added.
    public mutating func requestRefill() {
        refillRequested = true
    }

    /// Replaces the timer index with `entries`, the jobs due after `after` and through `through` as one
    /// load of at most `limit` returned them; entries whose name `isHandled` rejects are left out, since
    /// no claim will take them until a handler is registered (which asks for a new refill).
    /// - Complexity: O(*n* log *n*) at worst for *n* entries.
    public mutating func refilled(
        _ entries: [DueEntry], after: Timestamp, through: Timestamp, limit: Int, isHandled: (String) -> Bool
    ) {
        timers.removeAll()
        for entry in entries where isHandled(entry.name) {
            timers.insert(TimerEntry(id: entry.id, deadline: entry.runAt, priority: entry.priority))
        }
        refillWasLimited = entries.count >= limit
        loadedThrough = refillWasLimited ? (entries.last?.runAt ?? through) : through
        refillRequested = false
        // Jobs due at or before `after` were not loaded: only a claim finds them.
        mayHaveDueJobs = true
    }

    /// Records a job this process scheduled, so the sleeper wakes for it without a refill.
    /// - Complexity: O(log *n*) at worst.
    public mutating func scheduled(_ entry: TimerEntry, now: Timestamp) {
        timers.remove(entry.id)
        if entry.deadline <= now {
            mayHaveDueJobs = true
        } else if entry.deadline <= loadedThrough {
            timers.insert(entry)
        }
    }

    /// Forgets a job that is no longer scheduled (cancelled, or claimed elsewhere).
    public mutating func unscheduled(_ id: JobID) {
        timers.remove(id)
    }

    /// Records a claim of `limit` that returned `ids`.
    ///
    /// A claim that returned fewer than it asked for took every claimable job due by `dueBy`, so timer
    /// entries due by then are stale (cancelled or claimed by another process) and are dropped.
    /// - Complexity: O(*k* log *n*) for *k* claimed or dropped entries.
    public mutating func claimed(_ ids: [JobID], limit: Int, dueBy: Timestamp) {
        running += ids.count
        for id in ids { timers.remove(id) }
        mayHaveDueJobs = ids.count >= limit
        if !mayHaveDueJobs {
            _ = timers.popDue(through: dueBy, limit: .max)
        }
    }

    /// Records that an attempt ended (its outcome is journaled or given up), freeing its slot.
    public mutating func finished() {
        running = Swift.max(0, running - 1)
    }

    /// Stops claiming, for a graceful shutdown.
    public mutating func drain() {
        isDraining = true
    }
}
