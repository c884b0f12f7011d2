import DocketCore
import Testing

/// `TimerIndex` and `TimerHeap` against a sorted array, on seeded random operations, checking every
/// result and both structures' invariants after every step.
@Suite struct TimerModelTests {
    struct Triple {
        var index: TimerIndex
        var heap = TimerHeap()
        var model = SortedArrayTimer()

        init(width: Duration) {
            index = TimerIndex(bucketWidth: width)
        }

        mutating func insert(_ entry: TimerEntry) throws {
            try agree(index.insert(entry), heap.insert(entry), model.insert(entry), "insert \(entry)")
        }

        mutating func remove(_ id: JobID) throws {
            try agree(index.remove(id), heap.remove(id), model.remove(id), "remove \(id)")
        }

        mutating func popMin() throws {
            try agree(index.popMin(), heap.popMin(), model.popMin(), "popMin")
        }

        mutating func popDue(through now: Timestamp, limit: Int) throws {
            try agree(
                index.popDue(through: now, limit: limit), heap.popDue(through: now, limit: limit),
                model.popDue(through: now, limit: limit), "popDue(through: \(now), limit: \(limit))")
        }

        mutating func removeAll() {
            index.removeAll()
            heap.removeAll()
            model.removeAll()
        }

        /// Compares everything observable, and checks the invariants.
        func check(probe id: JobID) throws {
            index.checkInvariants()
            heap.checkInvariants()
            try agree(index.count, heap.count, model.count, "count")
            try agree(index.isEmpty, heap.isEmpty, model.count == 0, "isEmpty")
            try agree(index.min, heap.min, model.min, "min")
            try agree(index.contains(id), heap.contains(id), model.deadline(of: id) != nil, "contains \(id)")
            try agree(index.deadline(of: id), heap.deadline(of: id), model.deadline(of: id), "deadline of \(id)")
        }

        /// Failure messages are built only on failure: interpolating every step dominates the run time.
        func agree<T: Equatable>(_ index: T, _ heap: T, _ model: T, _ operation: @autoclosure () -> String) throws {
            if index != model {
                try #require(index == model, "TimerIndex: \(operation()) gave \(index), expected \(model)")
            }
            if heap != model {
                try #require(heap == model, "TimerHeap: \(operation()) gave \(heap), expected \(model)")
            }
        }
    }

    static let widths: [Duration] = [
        .microseconds(1), .milliseconds(1), TimerIndex.defaultBucketWidth, .seconds(86_400),
        .seconds(3_155_760_000), .seconds(Int64.max),
    ]

    @Test(arguments: widths, 0..<3 as Range<UInt64>)
    func randomOperationsAgreeWithASortedArray(width: Duration, seed: UInt64) throws {
        var inputs = TimerInputs(seed: seed)
        var timers = Triple(width: width)
        for _ in 0..<2_000 {
            let roll = inputs.int(0...999)
            switch roll {
            case 0..<450:
                try timers.insert(inputs.entry())
            case 450..<650:
                try timers.remove(inputs.id())
            case 650..<800:
                try timers.popMin()
            case 800..<995:
                let now = inputs.chance(50) ? (timers.model.entries.randomElement(using: &inputs.generator)?.deadline ?? .epoch) : inputs.deadline()
                let limit = inputs.chance(20) ? Int.max : Int(inputs.int(-1...12))
                try timers.popDue(through: now, limit: limit)
            default:
                timers.removeAll()
            }
            try timers.check(probe: inputs.id())
        }
    }

    /// The scheduler's pattern: a clock moving forward, jobs scheduled a little or far ahead, some
    /// rescheduled or cancelled, due ones popped in batches.
    @Test(arguments: widths.prefix(4), 0..<3 as Range<UInt64>)
    func advancingClockAgreesWithASortedArray(width: Duration, seed: UInt64) throws {
        var inputs = TimerInputs(seed: seed &+ 1_000, idCount: 250)
        var timers = Triple(width: width)
        var now = TimerInputs.origin
        let horizons: [Int64] = [1_000, 10_000_000, 3_600_000_000, 30 * 86_400_000_000]
        for _ in 0..<2_500 {
            let roll = inputs.int(0...99)
            switch roll {
            case 0..<55:
                let horizon = horizons[Int(inputs.int(0...3))]
                let delay = inputs.chance(5) ? -inputs.int(0...horizon) : inputs.int(0...horizon)
                let entry = TimerEntry(
                    id: inputs.id(), deadline: Timestamp(microsecondsSinceEpoch: now + delay),
                    priority: Int(inputs.int(0...1)))
                try timers.insert(entry)
            case 55..<75:
                try timers.remove(inputs.id())
            default:
                now += inputs.int(0...5_000_000)
                try timers.popDue(through: Timestamp(microsecondsSinceEpoch: now), limit: Int(inputs.int(1...50)))
            }
            try timers.check(probe: inputs.id())
        }
    }
}
