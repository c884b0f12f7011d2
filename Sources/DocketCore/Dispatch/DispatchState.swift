/// The dispatcher's decisions, as a value type: what to load, when to commit and claim, how long to
/// sleep.
///
/// The scheduler's run loop feeds it what happened (a refill, a tick's commit, a started or finished
/// attempt, a job this process scheduled) and asks ``nextAction(now:)`` what to do; the loop performs
/// the I/O. Keeping the decisions here makes them testable without a journal or a clock.
///
/// The timer index holds only the scheduled jobs due within `horizon` and strictly in the future;
/// jobs already due are found by claiming, which the journal answers in (priority, run-at, id) order.
/// So a backlog of due jobs never has to pass through memory, and far-future jobs stay on disk.
///
/// Each tick is one journal transaction that records the attempts that ended and claims jobs for the
/// free slots, and never more: a claimed job is running in the journal, so a job that waited in
/// memory for a slot would show as running while it is not, could not be cancelled, and would count
/// an attempt it never made.
///
/// A claim takes jobs due up to `claimAhead` from now, so that the journal's round trip happens before
/// a job is due rather than after: the run loop holds such a job until its time and starts it then.
///
/// Up to `maxTicksInFlight` ticks may be on their way to the journal at once, so that the journal's
/// writer always has the next transaction queued while it commits one: the run loop submits a tick
/// with ``tickSubmitted(outcomes:claimLimit:)`` and reports it back, in submission order, with
/// ``committed(outcomes:claimed:limit:dueBy:)`` or ``tickFailed(outcomes:claimLimit:)``. A claim in
/// flight reserves its room, so ticks in flight never claim more than the free slots allow.
package struct DispatchState: Sendable {
    /// What the run loop should do next.
    package enum Action: Sendable, Hashable {
        /// Load the scheduled jobs due after `after` and at or before `through`, at most `limit`, and
        /// report them with ``refilled(_:after:through:limit:isHandled:)``.
        case refill(after: Timestamp, through: Timestamp, limit: Int)
        /// Record the ended attempts and claim up to `claimLimit` jobs due by `dueBy` (none when 0) in
        /// one transaction: report it with ``tickSubmitted(outcomes:claimLimit:dueBy:)`` when sent, then
        /// with ``committed(outcomes:claimed:limit:dueBy:)`` or ``tickFailed(outcomes:claimLimit:)``.
        case commit(claimLimit: Int, dueBy: Timestamp)
        /// Nothing to do until `until` (nil: until something happens).
        case sleep(until: Timestamp?)
    }

    /// Handlers allowed to run at once.
    package let capacity: Int
    /// The largest claim.
    package let claimBatchSize: Int
    /// How far ahead the timer index looks.
    package let horizon: Duration
    /// The most entries one refill loads.
    package let refillLimit: Int
    /// How long before their time jobs are claimed.
    package let claimAhead: Duration
    /// Ticks allowed on their way to the journal at once.
    package let maxTicksInFlight: Int

    /// The future deadlines within the horizon.
    package private(set) var timers = TimerIndex()
    /// Claimed jobs whose attempt has not ended: running, or held until their time (claimed ahead).
    /// Jobs start when the journal answers, before the loop takes the report that counts them here,
    /// so this may be below zero for a moment; `outstanding + claiming`, the slots taken, is exact.
    package private(set) var outstanding = 0
    /// Attempts that ended and wait to be journaled (not yet submitted).
    package private(set) var pendingOutcomes = 0
    /// Ticks submitted and not yet reported back.
    package private(set) var ticksInFlight = 0
    /// Jobs the claims of the ticks in flight may return: room they reserve.
    package private(set) var claiming = 0
    /// Ended attempts carried by the ticks in flight.
    package private(set) var outcomesInFlight = 0
    /// The timer index holds every known scheduled job due after the last refill and up to here.
    package private(set) var loadedThrough = Timestamp.distantPast
    /// Whether the last refill hit its limit, so `loadedThrough` stops short of the horizon.
    package private(set) var refillWasLimited = false
    /// Whether due jobs may be waiting in the journal beyond what the timer index shows.
    package private(set) var mayHaveDueJobs = true
    /// Counts the events that set ``mayHaveDueJobs``.
    private var dueNews = 0
    /// `dueNews` when each tick in flight was sent, oldest first; nil for a tick reported only after
    /// it was sent (``tickSubmitted(outcomes:claimLimit:dueBy:reportedLate:)``), whose news since then
    /// cannot be told.
    private var newsAtSubmission: [Int?] = []
    /// When each tick in flight was sent, oldest first.
    private var sentAt: [Timestamp] = []
    /// How long a tick takes from sending to its report: a moving average.
    package private(set) var typicalTickDuration: Duration = .zero
    /// The due-by time of the latest claim in flight; timers due by then are left to it.
    package private(set) var claimedThrough = Timestamp.distantPast
    /// Whether claiming has stopped for shutdown.
    package private(set) var isDraining = false
    /// Whether the last claim left jobs of a queue at its concurrency limit: the end of an attempt
    /// may free a slot for them, so it asks for a claim.
    package private(set) var waitsForQueueSlot = false
    /// When the last claim's rate-limited queues have room again, if it left jobs waiting for it: a
    /// claim looks then.
    package private(set) var rateRoomAt: Timestamp?
    private var refillRequested = true

    /// A dispatcher for `capacity` concurrent attempts.
    package init(
        capacity: Int, claimBatchSize: Int = 256, horizon: Duration = .seconds(60),
        refillLimit: Int = 10_000, maxTicksInFlight: Int = 2, claimAhead: Duration = .zero
    ) {
        self.claimAhead = max(claimAhead, .zero)
        self.maxTicksInFlight = max(1, maxTicksInFlight)
        self.capacity = max(1, capacity)
        self.claimBatchSize = max(1, claimBatchSize)
        self.horizon = max(horizon, .milliseconds(2))
        self.refillLimit = max(1, refillLimit)
    }

    /// Jobs a claim may take now: the free slots, less those the ticks in flight may claim.
    package var claimRoom: Int {
        isDraining ? 0 : Swift.max(0, capacity - outstanding - claiming)
    }

    /// Whether every attempt has ended and been journaled, no claimed job waits and no tick is in
    /// flight: after ``drain()``, the run loop may stop.
    package var isIdle: Bool { outstanding == 0 && pendingOutcomes == 0 && ticksInFlight == 0 }

    /// What to do at `now`. With no tick in flight, any ended attempt or due job makes a tick; a
    /// second tick joins one in flight once that one has been on its way for half a typical tick
    /// (see ``maxTicksInFlight``).
    /// - Complexity: O(1).
    package mutating func nextAction(now: Timestamp) -> Action {
        if !isDraining, needsRefill(now: now) {
            return .refill(after: now, through: now + horizon, limit: refillLimit)
        }
        let room = claimRoom
        let dueBy = now + claimAhead
        // A timer due by the latest claim in flight is that claim's to find.
        let timerDue = timers.min.map { $0.deadline <= dueBy && $0.deadline > claimedThrough } ?? false
        let rateDue = rateRoomAt.map { $0 <= now } ?? false
        let wantsClaim = room > 0 && (mayHaveDueJobs || timerDue || rateDue)
        let claimLimit = wantsClaim ? Swift.min(room, claimBatchSize) : 0
        if ticksInFlight == 0
            ? (pendingOutcomes > 0 || wantsClaim)
            : mayJoin(claimLimit: claimLimit, now: now)
        {
            return .commit(claimLimit: claimLimit, dueBy: dueBy)
        }
        // While a tick is in flight its report wakes the loop; a timer already due must not, or the
        // loop would spin until then.
        return .sleep(until: ticksInFlight > 0 ? nil : wakeDeadline)
    }

    /// Whether a tick may join the ones in flight: when a slot for it is free, it carries something,
    /// and the oldest tick in flight has been on its way for half a typical tick. Then it waits in the
    /// writer's queue for about half a commit and starts as soon as the writer is free, carrying what
    /// arrived meanwhile: the writer never idles, and ticks are not split into many small ones.
    private func mayJoin(claimLimit: Int, now: Timestamp) -> Bool {
        guard ticksInFlight < maxTicksInFlight, pendingOutcomes > 0 || claimLimit > 0 else { return false }
        guard let oldest = sentAt.first else { return true }
        return now.duration(since: oldest) * 2 >= typicalTickDuration
    }

    /// The earliest instant at which ``nextAction(now:)`` may answer differently without any other
    /// event: `claimAhead` before the next timer deadline, or the next refill. A timer due by a claim
    /// already submitted is left to that claim's report.
    package var wakeDeadline: Timestamp? {
        guard !isDraining else { return nil }
        var refillAt = refillWasLimited ? loadedThrough : loadedThrough - horizon / 2
        if claimRoom > 0, let rateRoomAt { refillAt = Swift.min(refillAt, rateRoomAt) }
        guard claimRoom > 0, let next = timers.min?.deadline, next > claimedThrough else { return refillAt }
        return Swift.min(next - claimAhead, refillAt)
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
    package mutating func requestRefill() {
        refillRequested = true
    }

    /// Asks for a claim, as the safety poll does to find due jobs that nobody announced (added or
    /// moved by another process).
    package mutating func requestClaim() {
        noteMayHaveDueJobs()
    }

    /// Replaces the timer index with `entries`, the jobs due after `after` and through `through` as one
    /// load of at most `limit` returned them; entries whose name `isHandled` rejects are left out, since
    /// no claim will take them until a handler is registered (which asks for a new refill).
    /// - Complexity: O(*n* log *n*) at worst for *n* entries.
    package mutating func refilled(
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
        noteMayHaveDueJobs()
    }

    /// Records a job this process scheduled (or rescheduled), so the sleeper wakes for it without a
    /// refill.
    /// - Complexity: O(log *n*) at worst.
    package mutating func scheduled(_ entry: TimerEntry, now: Timestamp) {
        timers.remove(entry.id)
        if entry.deadline <= now {
            noteMayHaveDueJobs()
        } else if entry.deadline <= loadedThrough {
            timers.insert(entry)
        }
    }

    /// Forgets a job that is no longer scheduled (cancelled, or claimed elsewhere).
    package mutating func unscheduled(_ id: JobID) {
        timers.remove(id)
    }

    /// Records that the run loop sent a tick to the journal with `outcomes` ended attempts and a claim
    /// of up to `claimLimit` jobs (0: none), as ``nextAction(now:)`` asked.
    ///
    /// `reportedLate`: the tick was sent by someone else (the journal's writer, following the tick
    /// before it) and is reported only now. News of due jobs that came in between may predate its
    /// claim or not, so its report never concludes that nothing is due.
    package mutating func tickSubmitted(outcomes: Int, claimLimit: Int, dueBy: Timestamp, reportedLate: Bool = false) {
        ticksInFlight += 1
        claiming += claimLimit
        pendingOutcomes = Swift.max(0, pendingOutcomes - outcomes)
        outcomesInFlight += outcomes
        if claimLimit > 0 {
            claimedThrough = Swift.max(claimedThrough, dueBy)
        }
        newsAtSubmission.append(reportedLate ? nil : dueNews)
        sentAt.append(dueBy - claimAhead)
    }

    /// Sets ``mayHaveDueJobs`` and counts the news, so that a claim sent before it cannot clear it.
    private mutating func noteMayHaveDueJobs() {
        mayHaveDueJobs = true
        dueNews &+= 1
    }

    /// Takes the oldest tick in flight off the books; returns whether anything said due jobs may be
    /// waiting since it was sent.
    private mutating func tickReturned(outcomes: Int, claimLimit: Int, now: Timestamp?) -> Bool {
        ticksInFlight = Swift.max(0, ticksInFlight - 1)
        if !sentAt.isEmpty {
            let sent = sentAt.removeFirst()
            if let now {
                let took = Swift.max(now.duration(since: sent), .zero)
                typicalTickDuration = typicalTickDuration == .zero ? took : (typicalTickDuration * 3 + took) / 4
            }
        }
        claiming = Swift.max(0, claiming - claimLimit)
        outcomesInFlight = Swift.max(0, outcomesInFlight - outcomes)
        if ticksInFlight == 0 {
            // No claim is on its way, so none covers a timer: after the wall clock steps back, a
            // stale mark would otherwise hide the timers due before it until the clock catches up.
            claimedThrough = .distantPast
        }
        guard !newsAtSubmission.isEmpty, let news = newsAtSubmission.removeFirst() else { return true }
        return news != dueNews
    }

    /// Records a tick the journal refused: its outcomes wait to be journaled again and its claim's
    /// room is free. Report ticks in the order they were submitted.
    package mutating func tickFailed(outcomes: Int, claimLimit: Int) {
        _ = tickReturned(outcomes: outcomes, claimLimit: claimLimit, now: nil)
        pendingOutcomes += outcomes
        if claimLimit > 0 { noteMayHaveDueJobs() }
    }

    /// Records a tick: `outcomes` ended attempts were journaled, and a claim of `limit` returned
    /// `claimed`; `now`, when given, is when the report arrived, for ``typicalTickDuration``. Report
    /// ticks in the order they were submitted.
    ///
    /// A claim that returned fewer than it asked for took every claimable job due by `dueBy`, so timer
    /// entries due by then are stale (cancelled or claimed by another process) and are dropped;
    /// unless `hold` says queue limits held jobs back: then the end of an attempt
    /// (``waitsForQueueSlot``) or the instant a rate window has room (``rateRoomAt``) asks for the
    /// next claim.
    /// - Complexity: O(*k* log *n*) for *k* claimed or dropped entries.
    package mutating func committed(
        outcomes: Int, claimed: [JobID], limit: Int, dueBy: Timestamp, at now: Timestamp? = nil,
        hold: ClaimHold? = nil
    ) {
        let newsSince = tickReturned(outcomes: outcomes, claimLimit: limit, now: now)
        guard limit > 0 else { return }
        waitsForQueueSlot = hold?.atConcurrencyLimit ?? false
        rateRoomAt = hold?.rateRoomAt
        outstanding += claimed.count
        for id in claimed { timers.remove(id) }
        if claimed.count >= limit {
            noteMayHaveDueJobs()
        } else {
            _ = timers.popDue(through: dueBy, limit: .max)
            // Everything due by `dueBy` was claimed, unless news came after the claim was sent.
            if !newsSince { mayHaveDueJobs = false }
        }
    }

    /// Records that a claimed job's attempt ended; its outcome waits to be journaled.
    ///
    /// A job may start, and end, before the report of the tick that claimed it: then ``outstanding``
    /// is below zero for a moment, while ``claiming`` still holds the claim's room, and their sum, the
    /// slots taken, stays exact.
    package mutating func finished() {
        outstanding -= 1
        pendingOutcomes += 1
        if waitsForQueueSlot { noteMayHaveDueJobs() }
    }

    /// Records that `count` claimed jobs stopped with nothing to journal: another change (an
    /// operator's cancel) already ended them in the journal.
    package mutating func abandoned(_ count: Int) {
        outstanding -= count
        if waitsForQueueSlot { noteMayHaveDueJobs() }
    }

    /// Stops claiming, for a graceful shutdown, and records that `released` claimed jobs that had
    /// not started are given back: their releases wait to be journaled. Call it again for jobs a
    /// tick claims after the shutdown began.
    package mutating func drain(released: Int) {
        isDraining = true
        // Not bounded by `outstanding`: a job may be given back before its claim's report (see
        // ``finished()``).
        let released = Swift.max(0, released)
        outstanding -= released
        pendingOutcomes += released
    }
}
