import DocketCore
import Testing

@testable import DocketSQLite

/// `recentEnds(counting:latenessSince:latenessSample:)`: the ends of each range per state, and the
/// lateness of the latest ones, read from `jobs_finished`.
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

        let minutes = [t0..<at(60), at(60)..<at(120), at(120)..<at(180)]
        let ends = try await journal.recentEnds(counting: minutes, latenessSince: t0, latenessSample: 10)
        #expect(ends.counts == [
            .init(completed: 1), .init(discarded: 1, cancelled: 1), .init(),
        ])
        #expect(ends.lateness.sorted() == [2_000_000, 2_000_000])
        // A range's end is not in it; an empty range counts nothing.
        let edges = try await journal.recentEnds(counting: [t0..<at(3), at(3)..<at(3), at(3)..<at(70)], latenessSince: t0, latenessSample: 0)
        #expect(edges.counts == [.init(), .init(), .init(completed: 1)])
        #expect(edges.lateness.isEmpty)

        let later = try await journal.recentEnds(counting: [at(60)..<at(1_000)], latenessSince: at(60), latenessSample: 10)
        #expect(later.counts == [.init(discarded: 1, cancelled: 1)])
        #expect(later.lateness == [2_000_000])
    }

    @Test func itsReadsAreRangesOfTheIndexOfEndTimes() async throws {
        let journal = try memoryJournal()
        for sql in [SQLiteJournal.endsInRangeSQL, SQLiteJournal.latestLatenessSQL] {
            let plan = try await journal.read { connection in
                try connection.rows("EXPLAIN QUERY PLAN " + sql) { $0.text(3) }
            }
            #expect(plan.contains { $0.contains("USING") && $0.contains("INDEX jobs_finished") }, "\(sql): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN jobs") }, "\(sql): \(plan)")
            // The counts read the index alone, never a job's row, and sort nothing.
            if sql == SQLiteJournal.endsInRangeSQL {
                #expect(plan.contains { $0.contains("COVERING INDEX jobs_finished") }, "\(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
            }
        }
    }
}
