import DocketCore
import Testing

@testable import DocketSQLite

/// The claim with declared and paused queues: limits and pauses read in the claim's transaction,
/// fair shares, priority order within a queue, and the rate window kept in the journal.
@Suite struct QueueClaimTests {
    static func job(_ queue: String, priority: Int = 0, runAt: Timestamp = t0) -> NewJob {
        NewJob(name: "email", queue: queue, priority: priority, payload: [1], runAt: runAt, maxAttempts: 3)
    }

    static func fill(_ journal: SQLiteJournal, _ queue: String, count: Int) async throws {
        _ = try await journal.insert(Array(repeating: job(queue), count: count), now: t0)
    }

    @Test func aQueueIsNeverClaimedPastItsLimit() async throws {
        let journal = try memoryJournal()
        try await journal.declareQueues([QueueLimits(name: "mail", maxRunning: 2)], now: t0)
        try await Self.fill(journal, "mail", count: 5)
        let first = try await journal.commit([], claim: claimRequest(limit: 10), now: t0)
        #expect(first.claimed.count == 2)
        #expect(first.hold == ClaimHold(atConcurrencyLimit: true))
        #expect(try await journal.claim(limit: 10).isEmpty)
        // Completing one in the same transaction as the claim frees its slot for that claim.
        let done = JobChange(id: first.claimed[0].id, event: .complete, expectedAttempt: 1)
        let second = try await journal.commit([done], claim: claimRequest(limit: 10), now: t0)
        #expect(second.claimed.count == 1)
        #expect(try await journal.queues().first?.running == 2)
    }

    @Test func undeclaredQueuesHaveOnlyTheGlobalLimit() async throws {
        let journal = try memoryJournal()
        try await journal.declareQueues([QueueLimits(name: "mail", maxRunning: 1)], now: t0)
        try await Self.fill(journal, "mail", count: 3)
        try await Self.fill(journal, "other", count: 3)
        let claimed = try await journal.claim(limit: 10)
        #expect(claimed.filter { $0.queue == "mail" }.count == 1)
        #expect(claimed.filter { $0.queue == "other" }.count == 3)
    }

    @Test func aPausedQueueIsSkippedAndKeepsAcceptingJobs() async throws {
        let journal = try memoryJournal()
        let limits = QueueLimits(name: "mail", maxRunning: 5)
        try await journal.declareQueues([limits], now: t0)
        let paused = try await journal.setQueuePaused(named: "mail", paused: true, note: "provider down", declaration: nil, now: t0)
        #expect(paused.isPaused && paused.pauseNote == "provider down" && paused.pausedAt == t0)
        try await Self.fill(journal, "mail", count: 3)
        try await Self.fill(journal, "other", count: 1)
        #expect(try await journal.claim(limit: 10).map(\.queue) == ["other"])
        // A redeclaration, even one that leaves the queue out, keeps the pause.
        try await journal.declareQueues([limits], now: at(1))
        try await journal.declareQueues([], now: at(2))
        #expect(try await journal.claim(limit: 10).isEmpty)
        let listed = try #require(try await journal.queues().first)
        #expect(listed.isPaused && listed.limits == nil && listed.scheduled == 3)
        _ = try await journal.setQueuePaused(named: "mail", paused: false, note: nil, declaration: nil, now: at(3))
        #expect(try await journal.claim(limit: 10).count == 3)
    }

    @Test func pausingAnUnknownQueueIsRefused() async throws {
        let journal = try memoryJournal()
        await #expect(throws: QueueRefusal.notFound("nope")) {
            _ = try await journal.setQueuePaused(named: "nope", paused: true, note: nil, declaration: nil, now: t0)
        }
        // A queue declared in code but not yet written is added by its pause.
        let added = try await journal.setQueuePaused(
            named: "new", paused: true, note: nil, declaration: QueueLimits(name: "new", maxRunning: 3), now: t0)
        #expect(added.isPaused && added.limits?.maxRunning == 3)
    }

    @Test func priorityOrdersJobsWithinAQueue() async throws {
        let journal = try memoryJournal()
        try await journal.declareQueues([QueueLimits(name: "mail", maxRunning: 2)], now: t0)
        let low = try await journal.insertID(Self.job("mail", priority: 7, runAt: at(-30)))
        let high = try await journal.insertID(Self.job("mail", priority: 1))
        let mid = try await journal.insertID(Self.job("mail", priority: 4, runAt: at(-10)))
        #expect(try await journal.claim(limit: 1).map(\.id) == [high])
        #expect(try await journal.claim(limit: 1).map(\.id) == [mid])
        _ = low
    }

    @Test func saturatedQueuesShareTheStarts() async throws {
        let journal = try memoryJournal()
        try await journal.declareQueues(["a", "b", "c"].map { QueueLimits(name: $0, maxRunning: 1_000) }, now: t0)
        // Queue a's jobs come first in (priority, run-at) order: without fair shares it would take all.
        _ = try await journal.insert(Array(repeating: Self.job("a", runAt: at(-100)), count: 300), now: t0)
        _ = try await journal.insert(Array(repeating: Self.job("b", priority: 5), count: 300), now: t0)
        _ = try await journal.insert(Array(repeating: Self.job("c", priority: 9), count: 300), now: t0)
        var started: [String: Int] = [:]
        for _ in 0..<100 {
            for job in try await journal.claim(limit: 2) { started[job.queue, default: 0] += 1 }
        }
        #expect(started == ["a": 67, "b": 67, "c": 66] || started.values.allSatisfy { (66...67).contains($0) }, "\(started)")
    }

    @Test func theRateWindowIsReadFromTheJournal() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/rate.docket"
            let rate = QueueLimits(name: "api", maxRunning: 100, rate: QueueRate(starts: 3, period: .seconds(10)))
            do {
                let journal = try SQLiteJournal(path: path)
                try await journal.declareQueues([rate], now: t0)
                try await Self.fill(journal, "api", count: 10)
                #expect(try await journal.claim(now: t0, limit: 2).count == 2)
                let held = try await journal.commit([], claim: claimRequest(limit: 5, now: at(4)), now: at(4))
                #expect(held.claimed.count == 1)
                #expect(held.hold == ClaimHold(rateRoomAt: at(10)))
                await journal.close()
            }
            // Reopened, as after a restart: the window is what the journal kept.
            let journal = try SQLiteJournal(path: path)
            #expect(try await journal.claim(now: at(9), limit: 5).isEmpty)
            #expect(try await journal.claim(now: at(10), limit: 5).count == 2)
            #expect(try await journal.claim(now: at(14), limit: 5).count == 1)
            await journal.close()
        }
    }

    @Test func theQueueClaimWalksItsIndexWithoutSorting() async throws {
        let journal = try memoryJournal()
        try await journal.declareQueues([QueueLimits(name: "mail", maxRunning: 2)], now: t0)
        let plan = try await journal.queryPlan(of: SQLiteJournal.claimSQL(filteringNames: true, inQueue: true))
        #expect(plan.contains { $0.contains("USING INDEX jobs_queue_claim") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test func aJournalWithoutDeclaredQueuesHasNoQueueIndex() async throws {
        let journal = try memoryJournal()
        let indexes = try await journal.read { connection in
            try connection.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'jobs_queue_claim'") { $0.text(0) }
        }
        #expect(indexes.isEmpty)
    }
}

/// A claim request of `limit` jobs due by `now`.
func claimRequest(limit: Int, now: Timestamp = t0, names: [String]? = nil) -> ClaimRequest {
    ClaimRequest(dueBy: now, limit: limit, owner: "A", leaseExpiresAt: now + .seconds(60), names: names, now: now)
}
