import DocketCore
import Testing

/// What the dispatcher does after a claim that queue limits held back: it claims again when an
/// attempt ends or when a rate window has room, and never spins in between.
@Suite struct DispatchHoldTests {
    static let start = DispatchStateTests.start

    static func heldClaim(_ hold: ClaimHold) -> DispatchState {
        var state = DispatchStateTests.loaded(capacity: 8)
        let limit = DispatchStateTests.submit(&state)
        state.committed(outcomes: 0, claimed: DispatchStateTests.ids(1...2), limit: limit, dueBy: Self.start, hold: hold)
        return state
    }

    @Test func aQueueAtItsLimitIsClaimedAgainWhenAnAttemptEnds() {
        var state = Self.heldClaim(ClaimHold(atConcurrencyLimit: true))
        #expect(state.nextAction(now: Self.start) == .sleep(until: state.wakeDeadline))
        state.finished()
        guard case .commit(let limit, _) = state.nextAction(now: Self.start) else {
            Issue.record("expected a tick")
            return
        }
        #expect(limit > 0)
    }

    @Test func withoutAHoldAnEndedAttemptOnlyRecordsItsOutcome() {
        var state = Self.heldClaim(ClaimHold())
        state.finished()
        #expect(state.nextAction(now: Self.start) == .commit(claimLimit: 0, dueBy: Self.start))
    }

    @Test func aFullRateWindowWakesTheLoopWhenItHasRoom() {
        let roomAt = Self.start + .seconds(3)
        var state = Self.heldClaim(ClaimHold(rateRoomAt: roomAt))
        #expect(state.nextAction(now: Self.start + .seconds(1)) == .sleep(until: roomAt))
        guard case .commit(let limit, _) = state.nextAction(now: roomAt) else {
            Issue.record("expected a claim once the window has room")
            return
        }
        #expect(limit == 6)
    }
}
