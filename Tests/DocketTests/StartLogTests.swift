import DocketCore
import Foundation
import Testing

@testable import Docket

/// The start log keeps the marks of started attempts whose outcome is not journaled, in a file the
/// next run reads; marks from another writer or another boot are not trusted.
@Suite struct StartLogTests {
    static func job(_ id: Int64, claimedAt: Int64, owner: String = "me") -> JobRecord {
        JobRecord(
            id: JobID(id), name: "n", state: .running, runAt: Timestamp(microsecondsSinceEpoch: 0), attempt: 1,
            leaseOwner: owner, createdAt: Timestamp(microsecondsSinceEpoch: 0),
            updatedAt: Timestamp(microsecondsSinceEpoch: claimedAt))
    }

    @Test func marksOfUnsettledStartsReachTheNextRun() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("starts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try StartLog(path: path)
        try log.begin(owner: "me")
        // More starts than the first mapping holds, so the file grows.
        for id in 1...3_000 { log.started(Self.job(Int64(id), claimedAt: 7)) }
        log.settled((1...2_990).map { Self.job(Int64($0), claimedAt: 7) })
        log.started(Self.job(5_000, claimedAt: 9))
        log.close()

        let next = try StartLog(path: path)
        defer { next.close() }
        let marks = try #require(next.previous)
        #expect(marks.owner == "me")
        #expect(marks.keys.count == 11)
        #expect(marks.mayHaveStarted(Self.job(2_995, claimedAt: 7)))
        #expect(marks.mayHaveStarted(Self.job(5_000, claimedAt: 9)))
        // Settled, never started, or claimed again after its start: not started.
        #expect(!marks.mayHaveStarted(Self.job(10, claimedAt: 7)))
        #expect(!marks.mayHaveStarted(Self.job(6_000, claimedAt: 7)))
        #expect(!marks.mayHaveStarted(Self.job(2_995, claimedAt: 8)))
        // Another owner's jobs cannot be told apart: they may have started.
        #expect(marks.mayHaveStarted(Self.job(10, claimedAt: 7, owner: "someone else")))
    }

    /// A job's next attempt can start before the outcome of its previous one is settled (claimed in
    /// the commit that journaled it): settling the previous one keeps the next one's mark.
    @Test func settlingAnAttemptKeepsTheMarkOfTheJobsNextAttempt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("starts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try StartLog(path: path)
        try log.begin(owner: "me")
        log.started(Self.job(1, claimedAt: 7))
        log.started(Self.job(1, claimedAt: 9))
        log.settled([Self.job(1, claimedAt: 7)])
        log.close()
        let next = try StartLog(path: path)
        defer { next.close() }
        let marks = try #require(next.previous)
        #expect(marks.mayHaveStarted(Self.job(1, claimedAt: 9)))
        #expect(marks.keys.count == 1)
    }

    @Test func aLogFromAnotherBootOrNotALogIsNotTrusted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("starts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try StartLog(path: path)
        try log.begin(owner: "me")
        log.started(Self.job(1, claimedAt: 1))
        log.close()
        // The boot id lives at bytes 88..<160 of the header: another boot wrote it.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 88)
        try handle.write(contentsOf: Array("another-boot".utf8) + [0])
        try handle.close()
        let rebooted = try StartLog(path: path)
        #expect(rebooted.previous == nil)
        rebooted.close()
        try Data("not a start log".utf8).write(to: URL(fileURLWithPath: path))
        let foreign = try StartLog(path: path)
        #expect(foreign.previous == nil)
        foreign.close()
        #expect(StartLog.bootID() != nil)
    }
}
