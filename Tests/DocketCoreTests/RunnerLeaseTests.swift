import DocketCore
import Testing

/// The decision whether another runner's running jobs are rescued, from what its file shows.
@Suite struct RunnerLeaseTests {
    static let second: UInt64 = 1_000_000_000

    @Test func aFreeLockIsDeadWhateverItsHeartbeat() {
        let lease = RunnerLease(.seconds(10))
        #expect(lease.standing(of: RunnerSighting(lockHeld: false, heartbeat: 100 * Self.second), now: 100 * Self.second) == .dead)
        #expect(lease.standing(of: RunnerSighting(lockHeld: false, heartbeat: nil), now: 0) == .dead)
        #expect(RunnerLease(nil).standing(of: RunnerSighting(lockHeld: false, heartbeat: nil), now: 0) == .dead)
    }

    @Test func aHeldLockIsAliveUntilItsHeartbeatIsOlderThanTheLease() {
        let lease = RunnerLease(.seconds(10))
        let beat = 1_000 * Self.second
        let sighting = RunnerSighting(lockHeld: true, heartbeat: beat)
        #expect(lease.standing(of: sighting, now: beat) == .alive)
        #expect(lease.standing(of: sighting, now: beat + 10 * Self.second) == .alive)
        #expect(lease.standing(of: sighting, now: beat + 10 * Self.second + 1) == .stalled(heartbeat: beat))
        #expect(lease.standing(of: sighting, now: beat + 3_600 * Self.second) == .stalled(heartbeat: beat))
        #expect(lease.standing(of: sighting, now: beat + 3_600 * Self.second).isRescued)
    }

    @Test func withoutALeaseAHeldLockIsAlwaysAlive() {
        let sighting = RunnerSighting(lockHeld: true, heartbeat: 1)
        #expect(RunnerLease(nil).standing(of: sighting, now: UInt64.max) == .alive)
    }

    /// A file with no heartbeat that reads whole (an older runner's, or a read that raced a write),
    /// or a heartbeat later than the observer's clock (another clock domain), is never judged stale.
    @Test func anUnreadableOrLaterHeartbeatCountsAsAlive() {
        let lease = RunnerLease(.seconds(1))
        #expect(lease.standing(of: RunnerSighting(lockHeld: true, heartbeat: nil), now: UInt64.max) == .alive)
        #expect(lease.standing(of: RunnerSighting(lockHeld: true, heartbeat: 50 * Self.second), now: 10 * Self.second) == .alive)
    }

    @Test func aRunnerKnowsWhenItOverranItsOwnLease() {
        let lease = RunnerLease(.seconds(5))
        #expect(!lease.overran(previous: Self.second, now: 6 * Self.second))
        #expect(lease.overran(previous: Self.second, now: 6 * Self.second + 1))
        #expect(!lease.overran(previous: 6 * Self.second, now: Self.second))
        #expect(!RunnerLease(nil).overran(previous: 0, now: UInt64.max))
    }
}
