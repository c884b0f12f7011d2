import DocketCore
import Testing

@testable import DocketSQLite

/// `recentEnds(since:bucketMicroseconds:latenessSample:)`: the ends of a window per state and
/// bucket, and the lateness of the latest ones, read from `jobs_finished`.
@Suite struct RecentEndsTests {
    @Test func endsAreCountedPerStateAndBucketAndLatenessIsTheLastAttemptsWait() async throws {
        let journal = try memoryJournal()
        // Due at t0; claimed at 2 s (2 s late), completed at 3 s; claimed at 12 s, discarded at 70 s.
        let early = try await journal.insertID(newJob("a"))
        let late = try await journal.insertID(newJob("b", runAt: at(10)))
        let gone = try await journal.insertID(newJob("c", runAt: at(100)))
        _ = try await journal.claim(now: at(2), names: ["a"])
        _ = try await journal.apply([JobChange(id: early, event: .complete, expectedAttempt: 1)], now: at(3))
        _ = try await journal.claim(now: at(12), names: ["b"])
        _ = try await journal.apply([JobChange(id: late, event: .discard, expectedAttempt: 1, error: "no")], now: at(70))
        _ = try await journal.apply([JobChange(id: gone, event: .cancel)], now: at(80))

        let ends = try await journal.recentEnds(since: t0, bucketMicroseconds: 60_000_000, latenessSample: 10)
        #expect(Set(ends.buckets) == [
            .init(index: 0, state: .completed, count: 1), .init(index: 1, state: .discarded, count: 1),
            .init(index: 1, state: .cancelled, count: 1),
        ])
        #expect(ends.lateness.sorted() == [2_000_000, 2_000_000])

        let later = try await journal.recentEnds(since: at(60), bucketMicroseconds: 60_000_000, latenessSample: 10)
        #expect(Set(later.buckets) == [.init(index: 0, state: .discarded, count: 1), .init(index: 0, state: .cancelled, count: 1)])
        #expect(later.lateness == [2_000_000])
        let none = try await journal.recentEnds(since: at(60), bucketMicroseconds: 60_000_000, latenessSample: 0)
        #expect(none.lateness.isEmpty)
    }

    @Test func itsReadsAreRangesOfTheIndexOfEndTimes() async throws {
        let journal = try memoryJournal()
        for sql in [SQLiteJournal.endsPerBucketSQL, SQLiteJournal.latestLatenessSQL] {
            let plan = try await journal.read { connection in
                try connection.rows("EXPLAIN QUERY PLAN " + sql) { $0.text(3) }
            }
            #expect(plan.contains { $0.contains("USING") && $0.contains("INDEX jobs_finished") }, "\(sql): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN jobs") }, "\(sql): \(plan)")
        }
    }
}
