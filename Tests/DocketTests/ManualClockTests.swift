import Docket
import DocketTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ManualClockTests {
    @Test func sleepersWakeOnlyWhenTheClockReachesTheirDeadline() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(5)) }
        await clock.waitForSleepers(atLeast: 1)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
    }

    @Test func aCancelledSleeperThrowsAndLeaves() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(5)) }
        await clock.waitForSleepers(atLeast: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func theWallClockJumpsAloneAndAdvancesWithTheClock() {
        let clock = ManualClock()
        let start = clock.wallTime
        clock.jumpWallClock(by: .seconds(-60))
        #expect(clock.wallTime == start.addingTimeInterval(-60))
        #expect(clock.now == ManualClock.Instant(offset: .zero))
        clock.advance(by: .seconds(10))
        #expect(clock.wallTime == start.addingTimeInterval(-50))
        #expect(clock.wallClock.now() == clock.wallTime)
    }
}
