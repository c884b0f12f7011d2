import DocketCore
import DocketSQLite
import Docket
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Several schedulers on one journal: a starting scheduler rescues only the running jobs of
/// schedulers that are dead (whose lock file nobody holds), never those of one that still runs.
@Suite(.timeLimit(.minutes(1)))
struct SeveralProcessesTests {
    @Test func aDeadPeersRunningJobsAreRescuedAndALivePeersAreNot() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("peers.docket").path
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
        let setup = try JobScheduler(path: path)
        let live = try await setup.schedule(Note(text: "live"))
        let dead = try await setup.schedule(Note(text: "dead"))
        let now = Timestamp(microsecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1_000_000))
        func claim(_ owner: String) async throws {
            let request = ClaimRequest(dueBy: now, limit: 1, owner: owner, leaseExpiresAt: now, names: nil, now: now)
            #expect(try await journal.commit([], claim: request, now: now).claimed.count == 1)
        }
        try await claim("live-peer")
        try await claim("dead-peer")
        // The runners directory as two other processes would leave it: the live one holds its
        // file's lock (its lease long expired), the dead one's file is there with no lock on it.
        let runners = path + "-runners"
        try FileManager.default.createDirectory(atPath: runners, withIntermediateDirectories: true)
        let liveFile = open(runners + "/live-peer.lock", O_RDWR | O_CREAT, 0o600)
        #expect(liveFile >= 0 && flock(liveFile, LOCK_EX | LOCK_NB) == 0)
        defer { close(liveFile) }
        let deadFile = open(runners + "/dead-peer.lock", O_RDWR | O_CREAT, 0o600)
        close(deadFile)

        let scheduler = try JobScheduler(path: path)
        try scheduler.register(Note.self) { _, _ in }
        let running = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        #expect(try await journal.job(live.id)?.state == .running)
        #expect(try await journal.job(live.id)?.leaseOwner == "live-peer")
        #expect(try await journal.job(dead.id)?.state != .running)
        // The dead peer's file is removed; the live one's stays.
        #expect(!FileManager.default.fileExists(atPath: runners + "/dead-peer.lock"))
        #expect(FileManager.default.fileExists(atPath: runners + "/live-peer.lock"))
        await scheduler.shutdown()
        try await running.value
        await scheduler.close()
        await setup.close()
    }

    @Test func twoSchedulersRunOneJournalAtOnce() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("two.docket").path
        let first = try JobScheduler(path: path)
        let second = try JobScheduler(path: path)
        for scheduler in [first, second] { try scheduler.register(Note.self) { _, _ in } }
        let runFirst = Task { try await first.run() }
        let runSecond = Task { try await second.run() }
        try await first.waitUntilRunning()
        try await second.waitUntilRunning()
        await first.shutdown()
        await second.shutdown()
        try await runFirst.value
        try await runSecond.value
        await second.close()
        await first.close()
    }
}
