import DocketCore
import Foundation
import Testing

@testable import DocketSQLite

/// Pruning deletes ended jobs past their state's cutoff, with their attempts, in batches, through
/// the `jobs_finished` index, and never a scheduled or running job.
@Suite struct PruneTests {
    /// Inserts a job and ends it at `end` by `event`: complete and discard go through a claim (a
    /// discard writes its attempt row), cancel ends it while scheduled.
    private func endedJob(_ journal: SQLiteJournal, _ event: JobEvent, at end: Timestamp, key: String? = nil) async throws -> JobID {
        var job = newJob(key: key)
        if key != nil { job.uniqueScope = .whileActiveOrCompleted }
        let id = try await journal.insertID(job)
        if event != .cancel {
            let claimed = try await journal.claim(now: t0, limit: 1)
            #expect(claimed.map(\.id) == [id])
        }
        let change = JobChange(id: id, event: event, expectedAttempt: event == .cancel ? nil : 1, error: "boom")
        try await journal.apply(change, now: end)
        return id
    }

    private func request(_ cutoffs: [JobState: Timestamp], batchSize: Int = 500) -> PruneRequest {
        PruneRequest(cutoffs: cutoffs, batchSize: batchSize, vacuumPages: 64)
    }

    @Test func eachStateIsPrunedByItsOwnCutoffWithItsAttempts() async throws {
        let journal = try memoryJournal()
        let completed = try await endedJob(journal, .complete, at: at(10))
        let cancelled = try await endedJob(journal, .cancel, at: at(10))
        let discarded = try await endedJob(journal, .discard, at: at(10))
        #expect(try await journal.attempts(of: discarded).count == 1)
        // Completed past its cutoff, cancelled exactly at it (kept: only older ends go), discarded
        // kept by a cutoff before its end.
        let batch = try await journal.prune(request([.completed: at(11), .cancelled: at(10), .discarded: at(5)]))
        #expect(batch.deleted == [.completed: 1] && !batch.isFull)
        #expect(batch.jobs == [PrunedJob(id: completed, name: "email")])
        #expect(try await journal.job(completed) == nil)
        #expect(try await journal.job(cancelled)?.state == .cancelled)
        #expect(try await journal.job(discarded)?.state == .discarded)

        let newest = try await journal.insertID(newJob(runAt: at(500)))
        let rest = try await journal.prune(request([.cancelled: at(11), .discarded: at(11)]))
        #expect(rest.deleted == [.cancelled: 1, .discarded: 1])
        #expect(try await journal.countsByState() == [.scheduled: 1])
        #expect(try await journal.job(newest) != nil)
        #expect(try await journal.attemptRowCount() == 0)
    }

    @Test func scheduledAndRunningJobsAreNeverPruned() async throws {
        let journal = try memoryJournal()
        let running = try await journal.insertID(newJob())
        _ = try await journal.claim(now: t0, limit: 1)
        let retried = try await journal.insertID(newJob(runAt: at(1)))
        _ = try await journal.claim(now: at(1), limit: 1)
        // A retry leaves the job scheduled with an attempt row: the row stays with it.
        try await journal.apply(JobChange(id: retried, event: .retry(runAt: at(100)), expectedAttempt: 1, error: "e"), now: at(2))
        let parked = try await journal.insertID(newJob(runAt: at(500)))
        let everything = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, Timestamp.distantFuture) })
        #expect(try await journal.prunable(request(everything)).isEmpty)
        #expect(try await journal.prune(request(everything)) == PruneBatch())
        #expect(try await journal.job(running)?.state == .running)
        #expect(try await journal.job(retried)?.state == .scheduled)
        #expect(try await journal.job(parked)?.state == .scheduled)
        #expect(try await journal.attempts(of: retried).count == 1)
    }

    @Test func moreJobsThanABatchGoInSeveralBatches() async throws {
        let journal = try memoryJournal()
        for second in 1...7 { _ = try await endedJob(journal, .complete, at: at(Int64(second))) }
        _ = try await journal.insertID(newJob(runAt: at(500)))
        let cutoffs: [JobState: Timestamp] = [.completed: at(100)]
        #expect(try await journal.prunable(request(cutoffs, batchSize: 3)) == [.completed: 7])
        var sizes: [Int] = []
        var batch: PruneBatch
        repeat {
            batch = try await journal.prune(request(cutoffs, batchSize: 3))
            sizes.append(batch.total)
        } while batch.isFull
        #expect(sizes == [3, 3, 1])
        #expect(try await journal.countsByState() == [.scheduled: 1])
    }

    /// SQLite numbers a new row after the largest id: were the newest job deleted, the next job
    /// would get its id again.
    @Test func theNewestJobIsKeptSoThatNoIdIsGivenTwice() async throws {
        let journal = try memoryJournal()
        let older = try await endedJob(journal, .complete, at: at(1))
        let newest = try await endedJob(journal, .complete, at: at(2))
        let cutoffs: [JobState: Timestamp] = [.completed: at(100)]
        #expect(try await journal.prunable(request(cutoffs)) == [.completed: 1])
        #expect(try await journal.prune(request(cutoffs)).deleted == [.completed: 1])
        #expect(try await journal.job(older) == nil)
        #expect(try await journal.job(newest)?.state == .completed)
        #expect(try await journal.insertID(newJob(), now: at(3)) > newest)
    }

    @Test func countingWhatWouldBePrunedChangesNothing() async throws {
        let journal = try memoryJournal()
        let id = try await endedJob(journal, .discard, at: at(1))
        _ = try await journal.insertID(newJob(runAt: at(500)))
        #expect(try await journal.prunable(request([.discarded: at(2)])) == [.discarded: 1])
        #expect(try await journal.job(id)?.state == .discarded)
        #expect(try await journal.attempts(of: id).count == 1)
    }

    @Test func aPrunedCompletedJobFreesItsUniqueKey() async throws {
        let journal = try memoryJournal()
        let holder = try await endedJob(journal, .complete, at: at(1), key: "report-7")
        _ = try await journal.insertID(newJob(runAt: at(500)))
        var again = newJob(key: "report-7")
        again.uniqueScope = .whileActiveOrCompleted
        #expect(try await journal.insert(again, now: at(2)) == InsertResult(id: holder, isDuplicate: true))
        _ = try await journal.prune(request([.completed: at(2)]))
        #expect(try await journal.insert(again, now: at(3)).isDuplicate == false)
    }

    @Test func everyPruneStatementReadsTheFinishedIndex() async throws {
        let journal = try memoryJournal()
        for sql in [SQLiteJournal.prunableSQL, SQLiteJournal.anyPrunableSQL, SQLiteJournal.countPrunableSQL] {
            let plan = try await journal.queryPlan(of: sql)
            #expect(plan.contains { $0.contains("jobs_finished") } && !plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    @Test func aNewJournalGivesPrunedSpaceBackToTheFileSystem() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/prune.docket"
            let journal = try SQLiteJournal(path: path, durability: .normal)
            #expect(try await journal.vacuumState().autoVacuum == 2)
            let payload = [UInt8](repeating: 7, count: 2_000)
            _ = try await journal.insert((0..<2_000).map { _ in newJob(payload: payload) }, now: t0)
            for job in try await journal.claim(now: t0, limit: 2_000) {
                try await journal.apply(JobChange(id: job.id, event: .complete, expectedAttempt: 1), now: at(1))
            }
            let full = try await pageCount(journal)
            var batch: PruneBatch
            repeat {
                batch = try await journal.prune(PruneRequest(cutoffs: [.completed: at(2)], batchSize: 500, vacuumPages: 10_000))
            } while batch.isFull
            let pruned = try await pageCount(journal)
            #expect(pruned < full / 10, "pages \(full) -> \(pruned)")
            await journal.close()
        }
    }

    /// The database's size in pages, as its committed transactions left it.
    private func pageCount(_ journal: SQLiteJournal) async throws -> Int {
        try await journal.read { try $0.pragmaInteger("page_count") }
    }
}
