import DocketCore
import Testing

/// The dispatcher's decisions with ticks in flight: room reserved by claims on their way, when a
/// second tick may join, what a claim's report says about due jobs, and that claims never take more than the free slots.
@Suite struct DispatchStateTests {
    static let start = Timestamp(microsecondsSinceEpoch: 1_000_000_000)

    /// A dispatcher that has loaded its (empty) horizon at `start`, so the next action is not a refill.
    static func loaded(capacity: Int) -> DispatchState {
        var state = DispatchState(capacity: capacity, maxTicksInFlight: 2)
        state.refilled([], after: start, through: start + .seconds(60), limit: 10_000) { _ in true }
        return state
    }

    static func ids(_ range: ClosedRange<Int64>) -> [JobID] { range.map { JobID($0) } }

    /// Sends the tick `nextAction` asks for, and returns its claim limit.
    static func submit(_ state: inout DispatchState, at now: Timestamp = start) -> Int {
        let action = state.nextAction(now: now)
        guard case .commit(let limit, let dueBy) = action else {
            Issue.record("expected a tick, got \(action)")
            return -1
        }
        state.tickSubmitted(outcomes: state.pendingOutcomes, claimLimit: limit, dueBy: dueBy)
        return limit
    }

    static func next(_ state: inout DispatchState, _ now: Timestamp) -> DispatchState.Action {
        state.nextAction(now: now)
    }

    @Test func aClaimInFlightReservesItsRoom() {
        var state = Self.loaded(capacity: 4)
        #expect(Self.submit(&state) == 4)
        #expect(state.claimRoom == 0)
        #expect(Self.next(&state, Self.start) == .sleep(until: nil))
        state.committed(outcomes: 0, claimed: Self.ids(1...4), limit: 4, dueBy: Self.start)
        #expect(state.claimRoom == 0)
        #expect(state.outstanding == 4)
        #expect(state.ticksInFlight == 0)
    }

    @Test func aSecondTickJoinsOnceTheFirstHasBeenOnItsWayForHalfATypicalTick() {
        var state = Self.loaded(capacity: 4)
        _ = Self.submit(&state)
        let ms = { (n: Int64) in Self.start + .milliseconds(n) }
        state.committed(outcomes: 0, claimed: Self.ids(1...4), limit: 4, dueBy: Self.start, at: ms(4))
        #expect(state.typicalTickDuration == .milliseconds(4))
                state.finished()
        // Nothing in flight: one ended attempt is enough for a tick (it claims the free slot too).
        #expect(Self.submit(&state, at: ms(4)) == 1)
        state.finished()
        // One tick in flight for 1 ms of a typical 4: the ended attempt waits.
        #expect(Self.next(&state, ms(5)) == .sleep(until: nil))
        // Half a typical tick: it may join, with the free slot the first tick does not claim.
        #expect(Self.next(&state, ms(6)) == .commit(claimLimit: 1, dueBy: ms(6)))
        _ = Self.submit(&state, at: ms(6))
        state.finished()
        // Two in flight: the limit.
        #expect(Self.next(&state, ms(20)) == .sleep(until: nil))
        // The first tick's claim took job 5; the second still reserves one slot.
        state.committed(outcomes: 1, claimed: Self.ids(5...5), limit: 1, dueBy: ms(4), at: ms(8))
        #expect(state.typicalTickDuration == .milliseconds(4))
        #expect(state.ticksInFlight == 1)
        #expect(state.claiming == 1)
        #expect(state.claimRoom == 1)
        #expect(Self.next(&state, ms(8)) == .commit(claimLimit: 1, dueBy: ms(8)))
    }

    @Test func aTimerDueByAClaimInFlightDoesNotWakeTheLoop() {
        var state = DispatchState(capacity: 2, maxTicksInFlight: 2)
        let entry = DueEntry(id: JobID(7), runAt: Self.start + .milliseconds(10), priority: 0, name: "n")
        state.refilled([entry], after: Self.start, through: Self.start + .seconds(60), limit: 10_000) { _ in true }
        _ = Self.submit(&state)
        state.committed(outcomes: 0, claimed: [], limit: 2, dueBy: Self.start)
        #expect(Self.next(&state, Self.start) == .sleep(until: Self.start + .milliseconds(10)))
        let due = Self.start + .milliseconds(11)
        #expect(Self.submit(&state, at: due) == 2)
        // The claim in flight will find job 7: sleeping until its (past) deadline would spin.
        #expect(Self.next(&state, due) == .sleep(until: nil))
        state.committed(outcomes: 0, claimed: [JobID(7)], limit: 2, dueBy: due)
        #expect(state.timers.isEmpty)
        #expect(!state.mayHaveDueJobs)
    }

    @Test func aJobScheduledDueWhileAShortClaimIsInFlightIsStillClaimed() {
        var state = Self.loaded(capacity: 8)
        _ = Self.submit(&state)
        // Scheduled after the claim was sent: the claim may not see it.
        state.scheduled(TimerEntry(id: JobID(9), deadline: Self.start, priority: 0), now: Self.start)
        state.committed(outcomes: 0, claimed: Self.ids(1...2), limit: 8, dueBy: Self.start)
        #expect(state.mayHaveDueJobs)
        #expect(Self.next(&state, Self.start) == .commit(claimLimit: 6, dueBy: Self.start))
    }

    /// A tick the journal's writer sent on its own is reported after the fact: news of a due job that
    /// the loop took before the report may have come after that tick's claim ran, so its short claim
    /// must not conclude that nothing is due (the job would wait for an unrelated event).
    @Test func aShortClaimReportedLateLeavesDueJobsPossible() {
        var state = Self.loaded(capacity: 8)
        #expect(Self.submit(&state) == 8)
        state.finished()
        // A job scheduled due now, heard of before the report that tells of the writer's next tick.
        state.scheduled(TimerEntry(id: JobID(9), deadline: Self.start, priority: 0), now: Self.start)
        state.committed(outcomes: 0, claimed: Self.ids(1...8), limit: 8, dueBy: Self.start)
        state.tickSubmitted(outcomes: 1, claimLimit: 1, dueBy: Self.start, reportedLate: true)
        state.committed(outcomes: 1, claimed: [], limit: 1, dueBy: Self.start)
        #expect(state.mayHaveDueJobs)
        #expect(Self.next(&state, Self.start) == .commit(claimLimit: 1, dueBy: Self.start))
        // The same tick sent by the loop itself, after the news: its short claim settles it.
        state.tickSubmitted(outcomes: 0, claimLimit: 1, dueBy: Self.start)
        state.committed(outcomes: 0, claimed: [], limit: 1, dueBy: Self.start)
        #expect(!state.mayHaveDueJobs)
    }

    @Test func aFullClaimMeansMoreMayBeDueAndAShortOneDropsStaleTimers() {
        var state = DispatchState(capacity: 2, maxTicksInFlight: 2)
        let entries = (1...3).map {
            DueEntry(id: JobID(Int64($0)), runAt: Self.start + .milliseconds(Int64($0)), priority: 0, name: "n")
        }
        state.refilled(entries, after: Self.start, through: Self.start + .seconds(60), limit: 10_000) { _ in true }
        _ = Self.submit(&state)
        state.committed(outcomes: 0, claimed: [], limit: 2, dueBy: Self.start)
        let later = Self.start + .milliseconds(5)
        _ = Self.submit(&state, at: later)
        state.committed(outcomes: 0, claimed: [JobID(1), JobID(2)], limit: 2, dueBy: later)
        #expect(state.mayHaveDueJobs)
        #expect(state.timers.count == 1)
        for _ in 0..<2 {
            state.finished()
        }
        // Job 3 was cancelled meanwhile: the claim comes back short and its timer goes.
        _ = Self.submit(&state, at: later)
        state.committed(outcomes: 2, claimed: [], limit: 2, dueBy: later)
        #expect(state.timers.isEmpty)
        #expect(!state.mayHaveDueJobs)
        #expect(state.isIdle)
    }

    @Test func aFailedTickGivesItsOutcomesAndRoomBack() {
        var state = Self.loaded(capacity: 2)
        _ = Self.submit(&state)
        state.committed(outcomes: 0, claimed: Self.ids(1...2), limit: 2, dueBy: Self.start)
        state.finished()
        #expect(Self.submit(&state) == 1)
        #expect(state.pendingOutcomes == 0)
        state.tickFailed(outcomes: 1, claimLimit: 1)
        #expect(state.pendingOutcomes == 1)
        #expect(state.claimRoom == 1)
        #expect(state.mayHaveDueJobs)
        #expect(Self.next(&state, Self.start) == .commit(claimLimit: 1, dueBy: Self.start))
    }

    @Test func claimsNeverTakeMoreThanTheFreeSlots() {
        var state = Self.loaded(capacity: 4)
        #expect(Self.submit(&state) == 4)
        state.committed(outcomes: 0, claimed: Self.ids(1...4), limit: 4, dueBy: Self.start)
        // Every slot is taken: however quickly attempts end, nothing is claimed to wait for a slot.
        #expect(state.claimRoom == 0)
        if case .commit = Self.next(&state, Self.start) { Issue.record("a tick claims while every slot is taken") }
        state.finished()
        state.finished()
        #expect(Self.submit(&state) == 2)
        // The claim in flight holds the two freed slots; a third ended attempt frees only one more.
        state.finished()
        #expect(state.claimRoom == 1)
        state.committed(outcomes: 2, claimed: Self.ids(5...6), limit: 2, dueBy: Self.start)
        #expect(state.outstanding == 3)
        #expect(state.claimRoom == 1)
    }

    @Test func claimsReachAheadOfNowAndTheLoopWakesThatMuchEarlier() {
        var state = DispatchState(capacity: 2, maxTicksInFlight: 2, claimAhead: .milliseconds(10))
        let entry = DueEntry(id: JobID(3), runAt: Self.start + .milliseconds(100), priority: 0, name: "n")
        state.refilled([entry], after: Self.start, through: Self.start + .seconds(60), limit: 10_000) { _ in true }
        #expect(Self.submit(&state) == 2)
        state.committed(outcomes: 0, claimed: [], limit: 2, dueBy: Self.start + .milliseconds(10))
        #expect(Self.next(&state, Self.start) == .sleep(until: Self.start + .milliseconds(90)))
        let early = Self.start + .milliseconds(90)
        #expect(Self.next(&state, early) == .commit(claimLimit: 2, dueBy: Self.start + .milliseconds(100)))
    }

    @Test func aTimerIsClaimedOnTimeAfterTheWallClockStepsBack() {
        var state = DispatchState(capacity: 2, maxTicksInFlight: 2, claimAhead: .milliseconds(10))
        state.refilled([], after: Self.start, through: Self.start + .seconds(60), limit: 10_000) { _ in true }
        _ = Self.submit(&state)
        state.committed(outcomes: 0, claimed: [], limit: 2, dueBy: Self.start + .milliseconds(10))
        // The wall clock steps back an hour; a job is scheduled 50 ms after the new now.
        let back = Self.start - .seconds(3600)
        state.refilled([], after: back, through: back + .seconds(60), limit: 10_000) { _ in true }
        _ = Self.submit(&state, at: back)
        state.committed(outcomes: 0, claimed: [], limit: 2, dueBy: back + .milliseconds(10))
        state.scheduled(TimerEntry(id: JobID(4), deadline: back + .milliseconds(50), priority: 0), now: back)
        #expect(Self.next(&state, back) == .sleep(until: back + .milliseconds(40)))
        #expect(Self.next(&state, back + .milliseconds(40)) == .commit(claimLimit: 2, dueBy: back + .milliseconds(50)))
    }

    @Test func drainingWaitsForTicksInFlight() {
        var state = Self.loaded(capacity: 2)
        _ = Self.submit(&state)
        state.drain(released: 0)
        #expect(!state.isIdle)
        #expect(Self.next(&state, Self.start) == .sleep(until: nil))
        state.committed(outcomes: 0, claimed: Self.ids(1...2), limit: 2, dueBy: Self.start)
        // The loop gives back what a tick claimed after the shutdown began.
        state.drain(released: 2)
        #expect(state.pendingOutcomes == 2)
        _ = Self.submit(&state)
        state.committed(outcomes: 2, claimed: [], limit: 0, dueBy: Self.start)
        #expect(state.isIdle)
    }
}
