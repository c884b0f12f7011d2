import DocketCore
import Testing

@testable import DocketSQLite

/// The writer is paused while callers enqueue, so the batch is known without any timing.
@Suite(.timeLimit(.minutes(2))) struct GroupCommitTests {
    @Test func concurrentInsertsShareOneTransaction() async throws {
        try await withTemporaryDirectory { directory in
            let journal = try SQLiteJournal(path: directory + "/jobs.docket")
            let before = journal.statistics
            journal.writer.pauseForTesting()
            let ids = try await withThrowingTaskGroup(of: JobID.self) { group in
                for index in 0..<500 {
                    group.addTask { try await journal.insertID(newJob("job-\(index)")) }
                }
                await journal.writer.waitUntilQueued(500)
                journal.writer.resumeForTesting()
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let after = journal.statistics
            #expect(ids.count == 500 && Set(ids).count == 500)
            #expect(after.transactionsCommitted - before.transactionsCommitted == 1)
            #expect(after.operationsApplied - before.operationsApplied == 500)
            #expect(after.largestBatch == 500)
            #expect(try await journal.countsByState() == [.scheduled: 500])
            await journal.close()
        }
    }

    @Test func oneFailureNeverFailsItsNeighbours() async throws {
        let journal = try memoryJournal()
        let before = journal.statistics
        journal.writer.pauseForTesting()
        let outcomes = await withTaskGroup(of: (Int, Result<JobID, JournalError>).self) { group in
            for index in 0..<3 {
                // The middle job's priority violates the schema's CHECK.
                let job = newJob("job-\(index)", priority: index == 1 ? 42 : 0)
                group.addTask {
                    do {
                        return (index, .success(try await journal.insertID(job)))
                    } catch let error as JournalError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(JournalError(kind: .other, message: "\(error)")))
                    }
                }
            }
            await journal.writer.waitUntilQueued(3)
            journal.writer.resumeForTesting()
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect((try? outcomes[0]?.get()) != nil)
        #expect((try? outcomes[2]?.get()) != nil)
        if case .failure(let error)? = outcomes[1] {
            #expect(error.kind == .other && error.message.contains("CHECK"))
        } else {
            Issue.record("the invalid insert succeeded")
        }
        let after = journal.statistics
        // The batch rolled back, then each good insert committed alone.
        #expect(after.transactionsCommitted - before.transactionsCommitted == 2)
        #expect(after.operationsApplied - before.operationsApplied == 2)
        #expect(try await journal.countsByState() == [.scheduled: 2])
    }

    @Test func operationsQueuedBeforeCloseStillFinish() async throws {
        let journal = try memoryJournal()
        journal.writer.pauseForTesting()
        async let inserted = journal.insertID(newJob())
        await journal.writer.waitUntilQueued(1)
        // Close drains even a paused writer.
        await journal.close()
        let id = try await inserted
        #expect(id == JobID(1))
    }
}
