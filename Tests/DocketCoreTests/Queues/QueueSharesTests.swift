import DocketCore
import Testing

/// Fair shares among queues: equal starts for queues that all have work, limits respected, and no
/// credit banked while a queue is idle.
@Suite struct QueueSharesTests {
    /// Runs `claims` claims of `room` slots among saturated queues (each takes all it is given) and
    /// returns the starts per queue.
    static func saturated(_ queues: [(String, Int)], room: Int, claims: Int) -> [String: Int] {
        var shares = QueueShares()
        var total: [String: Int] = [:]
        for _ in 0..<claims {
            let allowances = queues.map { (queue: $0.0, allowance: $0.1) }
            let plan = shares.allot(room: room, among: allowances)
            var started: [String: Int] = [:]
            for share in plan { started[share.queue] = share.count }
            shares.credit(started: started, competing: queues.map(\.0), dry: [])
            for (queue, count) in started { total[queue, default: 0] += count }
        }
        return total
    }

    @Test func oneSlotAtATimeGoesRoundAllQueues() {
        let total = Self.saturated([("a", .max), ("b", .max), ("c", .max)], room: 1, claims: 300)
        #expect(total == ["a": 100, "b": 100, "c": 100])
    }

    @Test func unevenRoomStillSharesEqually() {
        let total = Self.saturated([("a", .max), ("b", .max), ("c", .max)], room: 2, claims: 300)
        #expect(total == ["a": 200, "b": 200, "c": 200])
    }

    @Test func aShareNeverPassesTheAllowance() {
        let plan = QueueShares().allot(room: 10, among: [(queue: "a", allowance: 2), (queue: "b", allowance: .max)])
        #expect(plan.map(\.queue) == ["a", "b"])
        #expect(plan.map(\.count) == [2, 8])
    }

    @Test func roomLeftWhenEveryAllowanceIsUsed() {
        let plan = QueueShares().allot(room: 10, among: [(queue: "a", allowance: 1), (queue: "b", allowance: 2)])
        #expect(plan.map(\.count) == [1, 2])
        #expect(QueueShares().allot(room: 0, among: [(queue: "a", allowance: 1)]).isEmpty)
    }

    /// A queue that was idle while another worked comes back level, not owed every slot.
    @Test func anIdleQueueBanksNoCredit() {
        var shares = QueueShares()
        for _ in 0..<50 {
            _ = shares.allot(room: 1, among: [(queue: "busy", allowance: .max)])
            shares.credit(started: ["busy": 1], competing: ["busy"], dry: [])
        }
        var total: [String: Int] = [:]
        for _ in 0..<20 {
            let plan = shares.allot(room: 1, among: [(queue: "busy", allowance: .max), (queue: "back", allowance: .max)])
            var started: [String: Int] = [:]
            for share in plan { started[share.queue] = share.count }
            shares.credit(started: started, competing: ["back", "busy"], dry: [])
            for (queue, count) in started { total[queue, default: 0] += count }
        }
        #expect(total == ["busy": 10, "back": 10])
    }

    /// A queue that ran dry (fewer due jobs than its share) is set level with the busy ones.
    @Test func aDryQueueIsLevelledUp() {
        var shares = QueueShares()
        shares.credit(started: ["a": 5, "b": 1], competing: ["a", "b"], dry: ["b"])
        #expect(shares.credit["a"] == shares.credit["b"])
    }
}

/// The sliding window of a rate-limited queue's starts.
@Suite struct RateWindowTests {
    static let now = Timestamp(microsecondsSinceEpoch: 1_000_000_000)
    static let rate = QueueRate(starts: 3, period: .seconds(10))

    @Test func startsOutsideTheWindowDoNotCount() {
        let window = RateWindow(
            rate: Self.rate, starts: [(Self.now - .seconds(10), 5), (Self.now - .seconds(9), 1)], now: Self.now)
        #expect(window.count == 1)
        #expect(window.room == 2)
        #expect(window.roomAt == nil)
    }

    @Test func aFullWindowHasRoomWhenItsOldestStartLeaves() {
        var window = RateWindow(rate: Self.rate, starts: [(Self.now - .seconds(4), 2)], now: Self.now)
        window.started(1, at: Self.now)
        #expect(window.room == 0)
        // Both starts at -4 s must leave for one start; they leave together at +6 s.
        #expect(window.roomAt == Self.now + .seconds(6))
    }

    @Test func startsDatedLaterStillCount() {
        let window = RateWindow(rate: Self.rate, starts: [(Self.now + .seconds(1), 3)], now: Self.now)
        #expect(window.room == 0)
        #expect(window.roomAt == Self.now + .seconds(11))
    }

    @Test func theRoomAtIsTheFirstInstantWithRoom() {
        let window = RateWindow(
            rate: Self.rate, starts: [(Self.now - .seconds(8), 1), (Self.now - .seconds(5), 1), (Self.now, 1)], now: Self.now)
        #expect(window.roomAt == Self.now + .seconds(2))
        let later = RateWindow(rate: Self.rate, starts: window.starts, now: Self.now + .seconds(2))
        #expect(later.room == 1)
        let before = RateWindow(rate: Self.rate, starts: window.starts, now: Self.now + .seconds(2) - .microseconds(1))
        #expect(before.room == 0)
    }
}

/// A queue's allowance and hold as a claim sees them.
@Suite struct QueueStandingTests {
    static let now = Timestamp(microsecondsSinceEpoch: 1_000_000_000)

    @Test func allowanceIsWhatLimitsLeave() {
        let limits = QueueLimits(name: "q", maxRunning: 3)
        #expect(QueueStanding(name: "q", limits: limits, isPaused: false, running: 1, scheduled: 9).allowance == 2)
        #expect(QueueStanding(name: "q", limits: limits, isPaused: false, running: 5, scheduled: 9).allowance == 0)
        #expect(QueueStanding(name: "q", limits: limits, isPaused: true, running: 0, scheduled: 9).allowance == 0)
        #expect(QueueStanding(name: "q", limits: limits, isPaused: false, running: 0, scheduled: 0).allowance == 0)
        #expect(QueueStanding(name: "q", limits: nil, isPaused: false, running: 99, scheduled: 1).allowance == .max)
        let window = RateWindow(rate: QueueRate(starts: 4, period: .seconds(1)), starts: [(Self.now, 3)], now: Self.now)
        #expect(QueueStanding(name: "q", limits: limits, isPaused: false, running: 0, scheduled: 9, window: window).allowance == 1)
    }

    @Test func holdSaysWhyJobsWait() {
        var standing = QueueStanding(
            name: "q", limits: QueueLimits(name: "q", maxRunning: 2), isPaused: false, running: 1, scheduled: 5)
        standing.claimed(1, at: Self.now)
        #expect(standing.hold(isDry: false) == ClaimHold(atConcurrencyLimit: true))
        #expect(standing.hold(isDry: true) == nil)
        standing.isPaused = true
        #expect(standing.hold(isDry: false) == nil)
        let window = RateWindow(rate: QueueRate(starts: 1, period: .seconds(5)), starts: [(Self.now, 1)], now: Self.now)
        let limited = QueueStanding(name: "r", limits: nil, isPaused: false, running: 0, scheduled: 1, window: window)
        #expect(limited.hold(isDry: false) == ClaimHold(rateRoomAt: Self.now + .seconds(5)))
        let both = ClaimHold.combining([ClaimHold(atConcurrencyLimit: true), ClaimHold(rateRoomAt: Self.now)])
        #expect(both == ClaimHold(atConcurrencyLimit: true, rateRoomAt: Self.now))
    }
}
