import DocketCore
import Testing

@testable import DocketSQLite

/// The journal's own checks, for callers of the store other than `JobScheduler`, which refuses max
/// attempts below 1 and priorities outside 0...9 before the journal sees them (BadOptionTests).
@Suite struct JournalValidationTests {
    private let now = Timestamp(microsecondsSinceEpoch: 0)

    private func job(_ name: String, priority: Int = 0, maxAttempts: Int = 3) -> NewJob {
        NewJob(name: name, priority: priority, runAt: now, maxAttempts: maxAttempts)
    }

    /// Inserts a batch with one bad job between two good ones; returns the error, after checking that
    /// nothing of the batch was written.
    private func refusal(of bad: NewJob) async throws -> JournalError? {
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .inMemory))
        var refusal: JournalError?
        do {
            _ = try await journal.insert([job("fine"), bad, job("also fine")], now: now)
            Issue.record("the journal inserted \(bad)")
        } catch let error as JournalError {
            refusal = error
        }
        #expect(try await journal.countsByState().isEmpty, "a refused batch must write nothing")
        await journal.close()
        return refusal
    }

    /// The journal refuses negative max attempts (`JournalError` naming the job) before writing any of the batch.
    @Test(arguments: [-1, -5, Int.min])
    func negativeMaxAttemptsAreRefused(maxAttempts: Int) async throws {
        let error = try await refusal(of: job("bad", maxAttempts: maxAttempts))
        #expect(error?.kind == .other)
        #expect(error?.message == "job \"bad\" has max attempts \(maxAttempts); give it 1 or more; nothing was inserted")
        #expect(error?.description.contains("give it 1 or more") == true)
    }

    /// The journal refuses a priority outside 0...9 by its schema's CHECK (`JournalError` quoting it); none of the batch is written.
    @Test(arguments: [10, -1, Int.max])
    func prioritiesOutsideTheRangeAreRefused(priority: Int) async throws {
        let error = try await refusal(of: job("bad", priority: priority))
        #expect(error?.kind == .other)
        #expect(error?.message.contains("CHECK constraint failed: priority BETWEEN 0 AND 9") == true, "\(String(describing: error))")
        #expect(error?.description.contains("check the job's fields against the journal's constraints") == true)
    }
}
