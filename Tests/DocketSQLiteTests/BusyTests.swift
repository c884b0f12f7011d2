import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct BusyTests {
    @Test func aWriteBlockedPastTheBusyTimeoutFailsWithBusyThenSucceeds() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path, busyTimeout: .milliseconds(50))
            let existing = try await journal.insertID(newJob())
            let other = try Connection(path: path)
            try other.execute("BEGIN IMMEDIATE")

            #expect(await journalErrorKind { _ = try await journal.insertID(newJob()) } == .busy)
            // Readers do not wait for the writer's lock.
            #expect(try await journal.job(existing)?.state == .scheduled)

            try other.execute("COMMIT")
            other.close()
            _ = try await journal.insertID(newJob())
            #expect(try await journal.countsByState() == [.scheduled: 2])
            await journal.close()
        }
    }
}
