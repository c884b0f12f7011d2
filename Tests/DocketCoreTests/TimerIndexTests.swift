import DocketCore
import Testing

/// Specific behaviours of both timers; `TimerModelTests` covers random mixes.
@Suite struct TimerIndexTests {
    enum Kind: String, CaseIterable, Sendable {
        case index, heap

        func make() -> any TimerQueue {
            switch self {
            case .index: TimerIndex()
            case .heap: TimerHeap()
            }
        }
    }

    static func at(_ micros: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: micros)
    }

    static func entry(_ id: Int64, _ micros: Int64, priority: Int = 0) -> TimerEntry {
        TimerEntry(id: JobID(id), deadline: at(micros), priority: priority)
    }

    static func drain(_ timer: inout some TimerQueue) -> [Int64] {
        var ids: [Int64] = []
        while let entry = timer.popMin() {
            timer.checkInvariants()
            ids.append(entry.id.rawValue)
        }
        return ids
    }

    @Test func entriesOrderByDeadlineThenPriorityThenID() {
        #expect(Self.entry(9, 1, priority: 9) < Self.entry(1, 2, priority: 0))
        #expect(Self.entry(9, 5, priority: 0) < Self.entry(1, 5, priority: 1))
        #expect(Self.entry(1, 5, priority: 1) < Self.entry(2, 5, priority: 1))
        #expect(!(Self.entry(1, 5) < Self.entry(1, 5)))
    }

    @Test func bucketWidthDefaultsToOneSecondAndIsAtLeastAMicrosecond() {
        #expect(TimerIndex().bucketWidth == .seconds(1))
        #expect(TimerIndex(bucketWidth: .zero).bucketWidth == .microseconds(1))
        #expect(TimerIndex(bucketWidth: .seconds(-5)).bucketWidth == .microseconds(1))
        #expect(TimerIndex(bucketWidth: .nanoseconds(10)).bucketWidth == .microseconds(1))
    }

    @Test(arguments: Kind.allCases)
    func minIsExactWithinOneBucket(kind: Kind) {
        var timer = kind.make()
        for (id, micros) in [(1, 900_000), (2, 100_000), (3, 500_000), (4, 100_000)] as [(Int64, Int64)] {
            timer.insert(Self.entry(id, micros))
        }
        #expect(timer.min == Self.entry(2, 100_000))
        #expect(Self.drain(&timer) == [2, 4, 3, 1])
    }

    @Test(arguments: Kind.allCases)
    func earlierDeadlinesOvertakeLaterBuckets(kind: Kind) {
        var timer = kind.make()
        let seconds: [Int64] = [50, 40, 30, 41, 20, 10, 51, 5, 40]
        var earliest = Int64.max
        for (id, second) in seconds.enumerated() {
            let entry = Self.entry(Int64(id), second * 1_000_000 + Int64(id))
            timer.insert(entry)
            timer.checkInvariants()
            earliest = Swift.min(earliest, entry.deadline.microsecondsSinceEpoch)
            #expect(timer.min?.deadline.microsecondsSinceEpoch == earliest)
        }
        #expect(Self.drain(&timer) == [7, 5, 4, 2, 1, 8, 3, 0, 6])
    }

    @Test(arguments: Kind.allCases)
    func insertingAKnownIDReplacesItsEntry(kind: Kind) {
        var timer = kind.make()
        #expect(timer.insert(Self.entry(1, 10)) == nil)
        timer.insert(Self.entry(2, 20))
        #expect(timer.insert(Self.entry(1, 30, priority: 4)) == Self.entry(1, 10))
        #expect(timer.count == 2)
        #expect(timer.deadline(of: JobID(1)) == Self.at(30))
        #expect(timer.min == Self.entry(2, 20))
        timer.checkInvariants()
    }

    @Test(arguments: Kind.allCases)
    func removingNeverLeavesAGhostMinimum(kind: Kind) {
        var timer = kind.make()
        for id in Int64(0)..<10 { timer.insert(Self.entry(id, id * 300_000)) }
        #expect(timer.remove(JobID(0)) == Self.entry(0, 0))
        #expect(timer.min == Self.entry(1, 300_000))
        #expect(timer.remove(JobID(0)) == nil)
        #expect(timer.remove(JobID(99)) == nil)
        #expect(timer.remove(JobID(5)) == Self.entry(5, 1_500_000))
        #expect(!timer.contains(JobID(5)) && timer.deadline(of: JobID(5)) == nil)
        timer.checkInvariants()
        #expect(Self.drain(&timer) == [1, 2, 3, 4, 6, 7, 8, 9])
    }

    @Test(arguments: Kind.allCases)
    func popDueStopsAtNowAndAtTheLimit(kind: Kind) {
        var timer = kind.make()
        for id in Int64(1)...6 { timer.insert(Self.entry(id, id * 1_000_000)) }
        #expect(timer.popDue(through: Self.at(999_999), limit: 10).isEmpty)
        #expect(timer.popDue(through: Self.at(5_000_000), limit: 0).isEmpty)
        #expect(timer.popDue(through: Self.at(5_000_000), limit: -3).isEmpty)
        #expect(timer.popDue(through: Self.at(5_000_000), limit: 2).map(\.id.rawValue) == [1, 2])
        #expect(timer.popDue(through: Self.at(5_000_000), limit: .max).map(\.id.rawValue) == [3, 4, 5])
        #expect(timer.count == 1 && timer.min == Self.entry(6, 6_000_000))
        timer.checkInvariants()
    }

    @Test(arguments: Kind.allCases)
    func removeAllEmptiesAndStaysUsable(kind: Kind) {
        var timer = kind.make()
        for id in Int64(0)..<50 { timer.insert(Self.entry(id, id * 7_777_777)) }
        timer.removeAll()
        #expect(timer.isEmpty && timer.count == 0 && timer.min == nil && timer.popMin() == nil)
        #expect(!timer.contains(JobID(3)))
        timer.insert(Self.entry(3, 3))
        #expect(timer.min == Self.entry(3, 3))
        timer.checkInvariants()
    }

    @Test(arguments: [Duration.microseconds(1), .seconds(1), .seconds(Int64.max)])
    func extremeDeadlinesKeepTheirOrder(width: Duration) {
        var timer = TimerIndex(bucketWidth: width)
        timer.insert(TimerEntry(id: JobID(1), deadline: .distantFuture, priority: 0))
        timer.insert(TimerEntry(id: JobID(2), deadline: .distantPast, priority: 0))
        timer.insert(Self.entry(3, -1))
        timer.insert(Self.entry(4, 0))
        timer.insert(TimerEntry(id: JobID(5), deadline: .distantPast, priority: -1))
        timer.checkInvariants()
        #expect(Self.drain(&timer) == [5, 2, 3, 4, 1])
    }

    @Test func cancelledFarFutureBucketsAreForgotten() {
        var timer = TimerIndex()
        timer.insert(Self.entry(0, 0))
        for id in Int64(1)...1_000 { timer.insert(Self.entry(id, id * 3_600_000_000)) }
        #expect(timer.bucketCount == 1_001)
        for id in Int64(1)..<1_000 {
            timer.remove(JobID(id))
            timer.checkInvariants()
        }
        #expect(timer.bucketCount == 2)
        #expect(Self.drain(&timer) == [0, 1_000])
        #expect(timer.bucketCount == 0)
    }

    @Test func churnInAReusedBucketKeepsOrder() {
        // Empty a later bucket, refill it, then demote the front onto an emptied key.
        var timer = TimerIndex()
        timer.insert(Self.entry(1, 5_000_000))
        timer.insert(Self.entry(2, 9_000_000))
        timer.remove(JobID(2))
        timer.insert(Self.entry(3, 9_500_000))
        timer.insert(Self.entry(4, 9_100_000))
        timer.remove(JobID(1))
        timer.insert(Self.entry(5, 2_000_000))
        timer.insert(Self.entry(6, 9_000_001))
        timer.checkInvariants()
        #expect(timer.bucketCount == 2)
        #expect(Self.drain(&timer) == [5, 6, 4, 3])
    }
}
