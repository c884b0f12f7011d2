import DocketCore
import Testing

@testable import DocketSQLite

/// Which jobs hold a unique key, per the holder's scope: every combination of holder scope, holder
/// state and newcomer scope, alone and within one batch.
@Suite struct UniqueScopeTests {
    private static let scopes = UniqueScope.allCases

    private func job(_ scope: UniqueScope, key: String = "k", name: String = "email") -> NewJob {
        var job = newJob(name, key: key)
        job.uniqueScope = scope
        return job
    }

    @Test(arguments: scopes, scopes)
    func aScheduledOrRunningHolderKeepsOutEveryScope(holder holderScope: UniqueScope, newcomer: UniqueScope) async throws {
        let journal = try memoryJournal()
        let holder = try await journal.insertID(job(holderScope))
        #expect(try await journal.insert(job(newcomer), now: at(1)) == InsertResult(id: holder, isDuplicate: true))
        _ = try await journal.claim()
        #expect(try await journal.insert(job(newcomer), now: at(2)) == InsertResult(id: holder, isDuplicate: true))
        #expect(try await journal.countsByState() == [.running: 1])
    }

    /// Only a completed job under `whileActiveOrCompleted` holds after its end; the newcomer's own
    /// scope never matters.
    @Test(arguments: scopes, [JobEvent.complete, .discard, .cancel])
    func anEndedHolderHoldsOnlyWhenCompletedUnderTheCompletedScope(holder holderScope: UniqueScope, end: JobEvent) async throws {
        for newcomer in Self.scopes {
            let journal = try memoryJournal()
            let holder = try await journal.insertID(job(holderScope))
            if end.kind.expectedStates == [.running] { _ = try await journal.claim() }
            try await journal.apply(JobChange(id: holder, event: end), now: at(1))
            let result = try await journal.insert(job(newcomer), now: at(2))
            let holds = holderScope == .whileActiveOrCompleted && end == .complete
            #expect(result.isDuplicate == holds, "holder \(holderScope), \(end), newcomer \(newcomer)")
            #expect(holds ? result.id == holder : result.id != holder)
        }
    }

    @Test func aJobThatEndedUnderWhileActiveDoesNotKeepOutALaterCompletedScopeHolder() async throws {
        let journal = try memoryJournal()
        let first = try await journal.insertID(job(.whileActive))
        _ = try await journal.claim()
        try await journal.apply(JobChange(id: first, event: .complete), now: at(1))
        // Free: the ended whileActive job does not hold, so the completed-scope job is inserted...
        let second = try await journal.insertID(job(.whileActiveOrCompleted), now: at(2))
        _ = try await journal.claim(now: at(2))
        try await journal.apply(JobChange(id: second, event: .complete), now: at(3))
        // ...and once it completed, it holds the key against both scopes, beside the older row.
        for scope in Self.scopes {
            #expect(try await journal.insert(job(scope), now: at(4)) == InsertResult(id: second, isDuplicate: true))
        }
        #expect(try await journal.job(first)?.uniqueKey == "k")
        #expect(try await journal.job(second)?.uniqueKey == "k")
        #expect(try await journal.countsByState() == [.completed: 2])
    }

    @Test(arguments: scopes, scopes)
    func theSecondJobOfAKeyInOneBatchPointsAtTheFirst(first: UniqueScope, second: UniqueScope) async throws {
        let journal = try memoryJournal()
        let results = try await journal.insert([job(first), job(second, key: "other"), job(second)], now: t0)
        #expect(results[2] == InsertResult(id: results[0].id, isDuplicate: true))
        #expect(!results[0].isDuplicate && !results[1].isDuplicate)
        #expect(try await journal.job(results[0].id)?.uniqueScope == first)
        #expect(try await journal.countsByState() == [.scheduled: 2])
    }

    @Test func aBatchMeetingACompletedHolderInsertsTheRestOnly() async throws {
        let journal = try memoryJournal()
        let holder = try await journal.insertID(job(.whileActiveOrCompleted))
        _ = try await journal.claim()
        try await journal.apply(JobChange(id: holder, event: .complete), now: at(1))
        let results = try await journal.insert([job(.whileActive), job(.whileActive, key: "free")], now: at(2))
        #expect(results[0] == InsertResult(id: holder, isDuplicate: true))
        #expect(!results[1].isDuplicate)
        #expect(try await journal.countsByState() == [.completed: 1, .scheduled: 1])
    }

    @Test func theScopeIsKeptAndReadBack() async throws {
        let journal = try memoryJournal()
        let once = try await journal.insertID(job(.whileActiveOrCompleted))
        let plain = try await journal.insertID(newJob("plain"))
        #expect(try await journal.job(once)?.uniqueScope == .whileActiveOrCompleted)
        #expect(try await journal.job(plain)?.uniqueScope == .whileActive)
        #expect(try await journal.claim().map(\.uniqueScope) == [.whileActiveOrCompleted, .whileActive])
    }

    /// The index, not the insert's lookup, keeps two holders out: a plain INSERT of a second holder
    /// fails, so no interleaving of writers can add one.
    @Test func theIndexRefusesASecondHolderWrittenAroundTheInsert() async throws {
        let journal = try memoryJournal()
        let holder = try await journal.insertID(job(.whileActiveOrCompleted))
        _ = try await journal.claim()
        try await journal.apply(JobChange(id: holder, event: .complete), now: at(1))
        let raw = """
            INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key, \
            created_at, updated_at, unique_scope) VALUES ('x', 'default', 0, x'', 0, 0, 0, 1, 'k', 0, 0, 0)
            """
        let kind = await journalErrorKind { try await journal.write { try $0.execute(raw) } }
        #expect(kind != nil)
        #expect(try await journal.countsByState() == [.completed: 1])
        let plan = try await journal.read { connection in
            try connection.rows("EXPLAIN QUERY PLAN \(SQLiteJournal.uniqueKeyHolderSQL)", ["k"]) { $0.text(3) }
        }
        #expect(plan.contains { $0.contains("jobs_unique_key_held") }, "\(plan)")
    }
}
