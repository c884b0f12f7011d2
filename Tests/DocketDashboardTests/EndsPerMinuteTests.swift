import DocketCore
import DocketLocking
import Testing

@testable import DocketDashboard

/// The overview's ends per minute: kept counts plus what is new equal a count of the whole hour,
/// each read asks only for what is not kept, and the kept counts are recounted when they may be
/// stale.
@Suite struct EndsPerMinuteTests {
    /// End times (microseconds) as a journal holds them, counted the way the store counts a range,
    /// with every range asked for recorded.
    final class Ends: Sendable {
        private let state = Locked<(ends: [Int64], asked: [[Range<Int64>]])>(([], []))

        func add(_ times: [Int64]) { state.withLock { $0.ends += times } }
        func remove(_ time: Int64) { state.withLock { $0.ends.removeAll { $0 == time } } }
        var asked: [[Range<Int64>]] { state.withLock { $0.asked } }

        func count(_ ranges: [Range<Timestamp>]) -> [RecentEnds.Counts] {
            state.withLock { state in
                let plain = ranges.map { $0.lowerBound.microsecondsSinceEpoch..<$0.upperBound.microsecondsSinceEpoch }
                state.asked.append(plain)
                return plain.map { range in RecentEnds.Counts(completed: state.ends.filter { range.contains($0) }.count) }
            }
        }

        /// The last hour's minutes at `now`, counted from scratch: the independent answer.
        func minutes(at now: Int64) -> [Int] {
            let first = EndsPerMinute.minuteStart(now) - 59 * EndsPerMinute.minute
            return state.withLock { state in
                var minutes = Array(repeating: 0, count: 60)
                for end in state.ends where end >= first {
                    minutes[min(59, Int((end - first) / EndsPerMinute.minute))] += 1
                }
                return minutes
            }
        }
    }

    static let second: Int64 = 1_000_000
    /// A minute boundary of the clock, plus 30 s.
    static let start: Int64 = 1_800_000_000 * second + 30 * second

    func read(_ counts: EndsPerMinute, _ ends: Ends, at now: Int64) async throws -> [Int] {
        try await counts.read(now: Timestamp(microsecondsSinceEpoch: now)) { ends.count($0) }.map(\.completed)
    }

    @Test func keptCountsPlusWhatIsNewEqualACountOfTheHour() async throws {
        let ends = Ends()
        let counts = EndsPerMinute()
        var generator = SplitMix64(seed: 7)
        var now = Self.start
        // An hour and a half of ends, read every 2 s with ends arriving between reads, a few of them
        // stamped up to a second in the past (a transaction that committed late) or ahead.
        for _ in 0..<2_700 {
            let fresh = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                now + Int64.random(in: -1 * Self.second...(Self.second / 2), using: &generator)
            }
            ends.add(fresh)
            now += 2 * Self.second
            #expect(try await read(counts, ends, at: now) == ends.minutes(at: now))
        }
    }

    @Test func aReadAsksOnlyForWhatIsNotKept() async throws {
        let ends = Ends()
        let counts = EndsPerMinute()
        ends.add([Self.start - 600 * Self.second, Self.start - 5 * Self.second, Self.start])
        _ = try await read(counts, ends, at: Self.start)
        let first = try #require(ends.asked.last)
        #expect(first.first?.lowerBound == EndsPerMinute.minuteStart(Self.start) - 59 * EndsPerMinute.minute)
        _ = try await read(counts, ends, at: Self.start + 2 * Self.second)
        let second = try #require(ends.asked.last)
        // From where the first read's kept counts stop (2 s before it), not from the hour's start.
        #expect(second.first?.lowerBound == Self.start - EndsPerMinute.settleMargin)
        #expect(second.count <= 3)
    }

    @Test func keptCountsAreRecountedAfterAMinuteAndWhenTheClockGoesBack() async throws {
        let ends = Ends()
        let counts = EndsPerMinute()
        let early = Self.start - 300 * Self.second
        ends.add([early, Self.start - 200 * Self.second])
        #expect(try await read(counts, ends, at: Self.start).reduce(0, +) == 2)
        // A retried discarded job leaves its minute: the kept count is stale until the recount.
        ends.remove(early)
        // A late commit, stamped well before the kept counts' end.
        ends.add([Self.start - 100 * Self.second])
        #expect(try await read(counts, ends, at: Self.start + 2 * Self.second).reduce(0, +) == 2)
        let recounted = Self.start + EndsPerMinute.recountInterval
        #expect(try await read(counts, ends, at: recounted) == ends.minutes(at: recounted))
        // The clock steps back ten minutes: the hour is counted again for the new present.
        let back = recounted - 600 * Self.second
        ends.add([back - 30 * Self.second])
        #expect(try await read(counts, ends, at: back) == ends.minutes(at: back))
    }
}
