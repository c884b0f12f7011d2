import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct InsertTests {
    @Test func idsIncreaseInInsertionOrder() async throws {
        let journal = try memoryJournal()
        let results = try await journal.insert([newJob("a"), newJob("b"), newJob("c")], now: t0)
        #expect(results.map(\.isDuplicate) == [false, false, false])
        #expect(results.map(\.id) == results.map(\.id).sorted() && Set(results.map(\.id)).count == 3)
        #expect(try await journal.insert([], now: t0).isEmpty)
    }

    @Test func aDuplicateKeyReturnsTheHolderAndChangesNothing() async throws {
        let journal = try memoryJournal()
        let holder = try await journal.insert(newJob("a", key: "k", payload: [1]), now: t0)
        let holderRecord = try await journal.job(holder.id)
        let duplicate = try await journal.insert(newJob("b", runAt: at(99), key: "k", payload: [2]), now: at(1))
        #expect(duplicate == InsertResult(id: holder.id, isDuplicate: true))
        #expect(try await journal.job(holder.id) == holderRecord)
        #expect(try await journal.countsByState() == [.scheduled: 1])
    }

    @Test func aDuplicateWithinOneBatchPointsAtTheEarlierJob() async throws {
        let journal = try memoryJournal()
        let results = try await journal.insert([newJob(key: "k"), newJob(key: "other"), newJob(key: "k")], now: t0)
        #expect(results[2] == InsertResult(id: results[0].id, isDuplicate: true))
        #expect(!results[1].isDuplicate)
        #expect(try await journal.countsByState() == [.scheduled: 2])
    }

    @Test func aRunningJobStillHoldsItsKey() async throws {
        let journal = try memoryJournal()
        let holder = try await journal.insertID(newJob(key: "k"))
        _ = try await journal.claim()
        #expect(try await journal.insert(newJob(key: "k"), now: at(1)) == InsertResult(id: holder, isDuplicate: true))
    }

    @Test(arguments: [JobEvent.complete, .discard, .cancel])
    func finishingAJobFreesItsKey(event: JobEvent) async throws {
        let journal = try memoryJournal()
        let first = try await journal.insertID(newJob(key: "k"))
        if event.kind.expectedStates == [.running] {
            _ = try await journal.claim()
        }
        try await journal.apply(JobChange(id: first, event: event), now: at(1))
        let second = try await journal.insert(newJob(key: "k"), now: at(2))
        #expect(!second.isDuplicate && second.id != first)
        #expect(try await journal.job(first)?.uniqueKey == "k")
    }

    @Test func anOversizedPayloadIsRefusedWithBothSizes() async throws {
        let journal = try memoryJournal(maxPayloadBytes: 10)
        let exactlyAtLimit = newJob(payload: [UInt8](repeating: 7, count: 10))
        let oversized = newJob(payload: [UInt8](repeating: 7, count: 11))
        do {
            _ = try await journal.insert([exactlyAtLimit, oversized], now: t0)
            Issue.record("the oversized payload was accepted")
        } catch let error as JournalError {
            #expect(error.kind == .payloadTooLarge(size: 11, limit: 10))
            #expect(error.description.contains("11 bytes") && error.description.contains("limit of 10 bytes"))
        }
        #expect(try await journal.countsByState().isEmpty)
        #expect(try await journal.insert([exactlyAtLimit], now: t0).count == 1)
    }

    @Test func aBatchIsInsertedAllOrNone() async throws {
        let journal = try memoryJournal()
        // A priority outside 0...9 violates the schema's CHECK, in the middle of the batch.
        let batch = [newJob("a", key: "k"), newJob("b", priority: 42), newJob("c")]
        let kind = await journalErrorKind { _ = try await journal.insert(batch, now: t0) }
        #expect(kind == .other)
        #expect(try await journal.countsByState().isEmpty)
        // The key was not taken by the rolled-back insert.
        #expect(try await journal.insert(newJob(key: "k"), now: t0).isDuplicate == false)
    }
}
