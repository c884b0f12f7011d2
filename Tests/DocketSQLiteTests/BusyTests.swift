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

    /// The waits between tries: 50 µs doubling to 1 ms, adding up to the timeout and never past it,
    /// and no wait at all with no timeout.
    @Test func theBusyHandlerWaitsBrieflyThenGivesUpAtTheTimeout() {
        #expect((0..<7).map(BusyWait.wait(atCall:)) == [50, 100, 200, 400, 800, 1_000, 1_000])
        #expect(BusyWait.waited(beforeCall: 0) == 0)
        #expect(BusyWait.waited(beforeCall: 5) == 1_550)
        #expect(BusyWait.waited(beforeCall: 7) == 3_550)
        // A 2 ms timeout: calls 0-5 wait (the last only the 450 µs left), call 6 gives up.
        let twoMilliseconds = UnsafeMutableRawPointer(bitPattern: 2_000)
        #expect((0..<6).map { BusyWait.handler(twoMilliseconds, Int32($0)) } == [1, 1, 1, 1, 1, 1])
        #expect(BusyWait.handler(twoMilliseconds, 6) == 0)
        #expect(BusyWait.handler(nil, 0) == 0)
    }
}
