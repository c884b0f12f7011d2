import DocketCore
import Testing

@testable import DocketSQLite

/// Payloads over the inline limit live in `job_payloads`, written once; every read of a job brings
/// its payload back, state changes never write it again, and pruning takes it with its job.
@Suite struct PayloadApartTests {
    private let large = (0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    private func storage(of id: JobID, in journal: SQLiteJournal) async throws -> (inRow: Int, apart: Int?) {
        try await journal.read { connection in
            let inRow = try connection.firstRow("SELECT length(payload) FROM jobs WHERE id = ?1", [id]) { $0.int(0) } ?? -1
            let apart = try connection.firstRow(
                "SELECT length(payload) FROM job_payloads WHERE job_id = ?1", [id]) { $0.int(0) }
            return (inRow, apart)
        }
    }

    @Test func aLargePayloadIsKeptApartAndEveryReadBringsItBack() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob(payload: large))
        let storage = try await storage(of: id, in: journal)
        #expect(storage.inRow == 0 && storage.apart == large.count)
        #expect(try await journal.job(id)?.payload == large)
        #expect(try await journal.jobs(in: .scheduled, after: nil, limit: 10).map(\.payload) == [large])
        let claimed = try await journal.claim(owner: "gone")
        #expect(claimed.map(\.payload) == [large])
        // Crash recovery reads the orphan and returns it rescued, payload and all.
        let rescued = try await journal.rescueOrphans(currentOwner: "alive", now: at(30)) { _ in at(31) }
        #expect(rescued.map(\.job.payload) == [large])
        await journal.close()
    }

    @Test(arguments: [0, 100, SQLiteJournal.inlinePayloadLimit])
    func aPayloadUpToTheLimitStaysInItsRow(size: Int) async throws {
        let journal = try memoryJournal()
        let payload = [UInt8](repeating: 5, count: size)
        let id = try await journal.insertID(newJob(payload: payload))
        let storage = try await storage(of: id, in: journal)
        #expect(storage.inRow == size && storage.apart == nil)
        #expect(try await journal.claim().map(\.payload) == [payload])
        await journal.close()
    }

    @Test func aDuplicateWritesNoPayload() async throws {
        let journal = try memoryJournal()
        let first = try await journal.insert(newJob(key: "k", payload: large), now: t0)
        let second = try await journal.insert(newJob(key: "k", payload: large + [1]), now: t0)
        #expect(second.isDuplicate && second.id == first.id)
        #expect(try await journal.read { try $0.firstRow("SELECT count(*) FROM job_payloads") { $0.int(0) } } == 1)
        #expect(try await journal.job(first.id)?.payload == large)
        await journal.close()
    }

    @Test func pruningDeletesAPayloadWithItsJob() async throws {
        let journal = try memoryJournal()
        let old = try await journal.insertID(newJob(payload: large))
        _ = try await journal.claim(limit: 1)
        try await journal.apply(JobChange(id: old, event: .complete, expectedAttempt: 1), now: at(10))
        // The newest job is never pruned; it keeps its payload.
        let newest = try await journal.insertID(newJob(runAt: at(3_600), payload: large))
        let batch = try await journal.prune(PruneRequest(cutoffs: [.completed: at(11)], batchSize: 10, vacuumPages: 0))
        #expect(batch.deleted == [.completed: 1])
        #expect(try await storage(of: old, in: journal).apart == nil)
        #expect(try await storage(of: newest, in: journal).apart == large.count)
        await journal.close()
    }

    /// WAL frames one job's claim and completion write, with a payload of `size` bytes, in a file
    /// journal whose WAL was checkpointed after the insert.
    private func framesToRun(payloadBytes size: Int) async throws -> Int {
        try await withTemporaryDirectory { directory in
            let journal = try SQLiteJournal(path: directory + "/jobs.docket")
            let checkpoints = try #require(journal.checkpoints)
            let id = try await journal.insertID(newJob(payload: [UInt8](repeating: 3, count: size)))
            _ = try await journal.read { try $0.firstRow("PRAGMA wal_checkpoint(PASSIVE)") { $0.int(0) } }
            let before = checkpoints.counts.framesWritten
            _ = try await journal.claim(limit: 1)
            try await journal.apply(JobChange(id: id, event: .complete, expectedAttempt: 1), now: at(10))
            let frames = checkpoints.counts.framesWritten - before
            await journal.close()
            return frames
        }
    }

    /// The claim and the completion change the row's size (a lease, a finish time): with the payload
    /// in the row, each wrote its overflow pages again. Apart, they write what a small job's do.
    @Test func aStateChangeNeverRewritesAPayload() async throws {
        let small = try await framesToRun(payloadBytes: 100)
        let big = try await framesToRun(payloadBytes: 64 * 1_024)
        #expect(small > 0)
        #expect(big == small, "a 64 KB payload's claim and completion wrote \(big) frames, a 100 B one's \(small)")
    }
}
