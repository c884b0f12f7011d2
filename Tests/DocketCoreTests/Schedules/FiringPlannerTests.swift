import DocketCore
import Testing

/// The planner's decisions for one hourly rule, in virtual time: no clock, no journal.
@Suite struct FiringPlannerTests {
    /// 2026-03-02T00:00:00Z, a Monday.
    static let day = Timestamp(microsecondsSinceEpoch: 1_772_409_600_000_000)

    static func at(_ hour: Int, _ minute: Int = 0, second: Int = 0) -> Timestamp {
        day + .seconds(hour * 3600 + minute * 60 + second)
    }

    /// The first whole hour strictly after an instant.
    static func hourly(_ instant: Timestamp) -> Timestamp? {
        let hour: Int64 = 3_600_000_000
        let micros = instant.microsecondsSinceEpoch
        return Timestamp(microsecondsSinceEpoch: (micros / hour + 1) * hour)
    }

    static func plan(
        cursor: Timestamp? = at(10), held: Timestamp? = nil, active: Bool = false, now: Timestamp = at(12, 10),
        catchUp: CatchUpPolicy, overlap: OverlapPolicy = .allow, budget: Int = FiringPlanner.budget
    ) -> FiringPlan {
        FiringPlanner.plan(
            FiringState(cursor: cursor, held: held, previousJobActive: active), now: now, catchUp: catchUp,
            overlap: overlap, budget: budget, next: hourly)
    }

    @Test func downFrom0910To1210WithNoCatchUpCreatesNothingAndCountsThree() {
        let plan = Self.plan(catchUp: .none)
        #expect(plan.firings.isEmpty)
        #expect(plan.missed == 3)
        #expect(plan.cursor == Self.at(13))
    }

    @Test func downFrom0910To1210WithLatestCreatesTwelveOClock() {
        let plan = Self.plan(catchUp: .latest)
        #expect(plan.firings == [Self.at(12)])
        #expect(plan.missed == 2)
        #expect(plan.cursor == Self.at(13))
    }

    @Test func downFrom0910To1210WithAllCreatesTenElevenAndTwelve() {
        let plan = Self.plan(catchUp: .all())
        #expect(plan.firings == [Self.at(10), Self.at(11), Self.at(12)])
        #expect(plan.missed == 0)
        #expect(plan.cursor == Self.at(13))
    }

    @Test func allKeepsTheMostRecentUpToItsLimit() {
        let plan = Self.plan(now: Self.at(23, 30), catchUp: .all(limit: 4))
        #expect(plan.firings == [Self.at(20), Self.at(21), Self.at(22), Self.at(23)])
        #expect(plan.missed == 10)
        #expect(plan.cursor == Self.at(24))
    }

    @Test func aWindowDropsOlderFirings() {
        let plan = Self.plan(catchUp: CatchUpPolicy.all().within(.seconds(90 * 60)))
        #expect(plan.firings == [Self.at(11), Self.at(12)])
        #expect(plan.missed == 1)
    }

    @Test func anOnTimeFiringCreatesItsJobUnderEveryPolicy() {
        for policy in [CatchUpPolicy.none, .latest, .all()] {
            let plan = Self.plan(cursor: Self.at(12), now: Self.at(12, 0, second: 30), catchUp: policy)
            #expect(plan.firings == [Self.at(12)], "\(policy)")
            #expect(plan.missed == 0, "\(policy)")
            #expect(plan.cursor == Self.at(13), "\(policy)")
        }
    }

    @Test func aFiringReachedOverAMinuteLateWasMissed() {
        let plan = Self.plan(cursor: Self.at(12), now: Self.at(12, 1, second: 1), catchUp: .none)
        #expect(plan.firings.isEmpty)
        #expect(plan.missed == 1)
    }

    @Test func nothingDueChangesNothing() {
        let plan = Self.plan(cursor: Self.at(13), catchUp: .latest)
        #expect(plan == FiringPlan(cursor: Self.at(13)))
    }

    @Test func anEndedRuleStaysEnded() {
        let plan = Self.plan(cursor: nil, catchUp: .latest)
        #expect(plan == FiringPlan(cursor: nil))
    }

    @Test func skipCreatesNothingWhileThePreviousJobIsActive() {
        let plan = Self.plan(cursor: Self.at(12), active: true, now: Self.at(12), catchUp: .latest, overlap: .skip)
        #expect(plan.firings.isEmpty)
        #expect(plan.skipped == 1)
        #expect(plan.missed == 0)
        #expect(plan.cursor == Self.at(13))
    }

    @Test func skipWithAllCatchUpCreatesOnlyTheOldestChosenFiring() {
        let plan = Self.plan(catchUp: .all(), overlap: .skip)
        #expect(plan.firings == [Self.at(10)])
        #expect(plan.skipped == 2)
    }

    @Test func waitHoldsOneFiringAndSkipsTheRest() {
        let plan = Self.plan(active: true, catchUp: .all(), overlap: .wait)
        #expect(plan.firings.isEmpty)
        #expect(plan.held == Self.at(10))
        #expect(plan.skipped == 2)
        #expect(plan.cursor == Self.at(13))
    }

    @Test func aHeldFiringIsCreatedOnceThePreviousJobEnded() {
        let plan = Self.plan(cursor: Self.at(13), held: Self.at(12), active: false, now: Self.at(12, 20), catchUp: .latest, overlap: .wait)
        #expect(plan.firings == [Self.at(12)])
        #expect(plan.held == nil)
        #expect(plan.cursor == Self.at(13))
    }

    @Test func aHeldFiringStaysWhileThePreviousJobRuns() {
        let plan = Self.plan(cursor: Self.at(13), held: Self.at(12), active: true, now: Self.at(13), catchUp: .latest, overlap: .wait)
        #expect(plan.firings.isEmpty)
        #expect(plan.held == Self.at(12))
        #expect(plan.skipped == 1)
        #expect(plan.cursor == Self.at(14))
    }

    @Test func aLongGapIsCountedOverSeveralPassesAndKeepsTheSameFirings() {
        // A year of hourly firings missed, a budget of 100 per pass.
        let now = Self.at(24 * 365 + 5, 30)
        var state = FiringState(cursor: Self.at(10), held: nil, previousJobActive: false)
        var missed = 0
        var passes = 0
        var last = FiringPlan()
        repeat {
            last = FiringPlanner.plan(state, now: now, catchUp: .all(limit: 3), overlap: .allow, budget: 100, next: Self.hourly)
            missed += last.missed
            state.cursor = last.cursor
            passes += 1
            #expect(last.hasMore || !last.firings.isEmpty)
        } while last.hasMore && passes < 1_000
        let whole = FiringPlanner.plan(
            FiringState(cursor: Self.at(10), held: nil, previousJobActive: false), now: now, catchUp: .all(limit: 3),
            overlap: .allow, next: Self.hourly)
        #expect(passes > 80)
        #expect(last.firings == [Self.at(24 * 365 + 3), Self.at(24 * 365 + 4), Self.at(24 * 365 + 5)])
        #expect(last.firings == whole.firings)
        #expect(missed == whole.missed)
        #expect(missed == 24 * 365 + 5 - 10 + 1 - 3)
        #expect(last.cursor == Self.at(24 * 365 + 6))
    }
}
