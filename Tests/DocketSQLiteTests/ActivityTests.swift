import DocketCore
import Testing

@testable import DocketSQLite

/// `activity(after:limit:)`: what a follower of the journal (`docket tail`) reads between two looks,
/// each kind from its own index.
@Suite struct ActivityTests {
    @Test func aFollowerSeesEachChangeOnceInOrder() async throws {
        let journal = try memoryJournal()
        let old = try await journal.insertID(newJob("old"))
        let (nothing, start) = try await journal.activity(after: nil, limit: 100)
        #expect(nothing.isEmpty)

        let flaky = try await journal.insertID(newJob("flaky"), now: at(1))
        #expect(try await journal.claim(now: at(2)).map(\.id) == [old, flaky])
        let (first, afterClaim) = try await journal.activity(after: start, limit: 100)
        #expect(first.map(\.kind) == [.scheduled(runAt: t0), .started, .started])
        #expect(first.map(\.jobID) == [flaky, old, flaky])

        _ = try await journal.apply(
            [JobChange(id: old, event: .complete, expectedAttempt: 1),
             JobChange(id: flaky, event: .retry(runAt: at(4)), expectedAttempt: 1, error: "boom")], now: at(3))
        let (second, afterEnds) = try await journal.activity(after: afterClaim, limit: 100)
        // One instant: by job id.
        #expect(second.map(\.kind) == [.ended(.completed), .attemptEnded(.retried)])
        #expect(second.map(\.jobID) == [old, flaky])
        #expect(second[1].error == "boom" && second[1].attempt == 1 && second[1].at == at(3))

        #expect(try await journal.claim(now: at(4)).map(\.id) == [flaky])
        _ = try await journal.apply([JobChange(id: flaky, event: .discard, expectedAttempt: 2, error: "again")], now: at(5))
        // Started and ended between two looks: only the end shows.
        let (third, afterDiscard) = try await journal.activity(after: afterEnds, limit: 100)
        #expect(third.map(\.kind) == [.ended(.discarded)])
        #expect(third[0].attempt == 2 && third[0].error == "again")
        let (none, _) = try await journal.activity(after: afterDiscard, limit: 100)
        #expect(none.isEmpty)
    }

    /// Ends in one transaction share their time: a page limit splits them without losing or repeating one.
    @Test func jobsEndingTogetherArePagedByTheirIds() async throws {
        let journal = try memoryJournal()
        var ids: [JobID] = []
        for _ in 0..<5 { ids.append(try await journal.insertID(newJob())) }
        var (_, cursor) = try await journal.activity(after: nil, limit: 2)
        _ = try await journal.claim(now: at(1))
        _ = try await journal.apply(ids.map { JobChange(id: $0, event: .complete, expectedAttempt: 1) }, now: at(2))
        var ended: [JobID] = []
        for _ in 0..<4 {
            let (entries, next) = try await journal.activity(after: cursor, limit: 2)
            ended += entries.filter { $0.kind == .ended(.completed) }.map(\.jobID)
            cursor = next
        }
        #expect(ended == ids)
    }

    @Test func everyReadUsesAnIndexNeverAScanOfTheJobs() async throws {
        let journal = try memoryJournal()
        let statements = [
            SQLiteJournal.activityNewJobsSQL, SQLiteJournal.activityAttemptsSQL, SQLiteJournal.lastEndedSQL,
            SQLiteJournal.endedSinceSQL, SQLiteJournal.activityRunningSQL,
        ]
        for sql in statements {
            let plan = try await journal.read { connection in
                try connection.rows("EXPLAIN QUERY PLAN " + sql) { $0.text(3) }
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN jobs") || $0.hasPrefix("SCAN attempts") || $0.contains("TEMP B-TREE") }, "\(sql): \(plan)")
        }
    }
}
