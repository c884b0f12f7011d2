import DocketCore
import Foundation
import Testing

@testable import DocketSQLite

/// The journal's side of ``RunnerRegistryStore``: a file journal registers each runner with a lock
/// file of its own in `<journal>-runners`, exclusively per owner across journals on the file; an
/// in-memory journal registers nothing.
@Suite(.timeLimit(.minutes(1))) struct RunnerRegistryTests {
    @Test func aFileJournalRegistersEachOwnerOnceAndSeesTheOthers() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let first = try SQLiteJournal(path: path)
            let second = try SQLiteJournal(path: path)
            let lease = RunnerLease(.seconds(60))
            let a = try #require(try first.registerRunner(owner: "a", lease: lease))
            #expect(FileManager.default.fileExists(atPath: path + "-runners/a.lock"))
            #expect(a.startLogPath(of: "a") == path + "-runners/a.starts")
            // The same owner is held, through another journal on the file too.
            #expect(throws: RunnerRegistrationError.self) { try second.registerRunner(owner: "a", lease: lease) }
            do {
                _ = try second.registerRunner(owner: "a", lease: lease)
            } catch RunnerRegistrationError.held(let holder) {
                #expect(holder.contains("a.lock"))
            }
            let b = try #require(try second.registerRunner(owner: "b", lease: lease))
            #expect(a.peers() == ["b"] && b.peers() == ["a"])
            #expect(a.isAlive("b") && a.isHeld("b") && a.deadPeers().isEmpty)
            #expect(a.sighting(of: "b")?.heartbeat != nil)
            b.release()
            #expect(a.standing(of: "b") == .dead)
            #expect(a.peers().isEmpty, "a runner that stops removes its file")
            a.release()
            let again = try #require(try first.registerRunner(owner: "a", lease: lease), "released, the owner registers again")
            again.release()
            await first.close()
            await second.close()
        }
    }

    @Test func anInMemoryJournalRegistersNothing() async throws {
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .inMemory))
        #expect(try journal.registerRunner(owner: "a", lease: RunnerLease(nil)) == nil)
        await journal.close()
    }
}
