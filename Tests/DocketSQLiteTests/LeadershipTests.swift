import DocketCore
import Foundation
import Testing

@testable import DocketSQLite

/// The leadership of a journal file's runners: one owner at a time, through any number of journals
/// on the file, released by a resignation, a close or the holder's death (an `flock` the kernel
/// drops), and a follower that leaves the WAL's checkpoints to the leader.
@Suite(.timeLimit(.minutes(2))) struct LeadershipTests {
    @Test func oneOwnerLeadsAFileAtATime() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let first = try SQLiteJournal(path: path)
            let second = try SQLiteJournal(path: path)
            #expect(try await first.tryLead(owner: "a"))
            #expect(try await first.tryLead(owner: "a"), "the leader keeps leading")
            #expect(try await !second.tryLead(owner: "b"))
            // Another owner of the same journal is refused too.
            #expect(try await !first.tryLead(owner: "c"))
            #expect(SQLiteJournal.leadership(journalPath: path)?.held == true)
            #expect(SQLiteJournal.leadership(journalPath: path)?.holder.hasPrefix("instance a, pid ") == true)
            // A resignation hands it over at the next try; resigning as someone else changes nothing.
            await first.resignLeadership(owner: "b")
            #expect(try await !second.tryLead(owner: "b"))
            await first.resignLeadership(owner: "a")
            #expect(try await second.tryLead(owner: "b"))
            #expect(try await !first.tryLead(owner: "a"))
            // Closing the leader's journal releases it.
            await second.close()
            #expect(SQLiteJournal.leadership(journalPath: path)?.held == false)
            #expect(try await first.tryLead(owner: "a"))
            await first.close()
        }
    }

    /// The file and its directory are made by the first try, whether or not a runner made them.
    @Test func theFirstTryMakesTheRunnersDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path)
            #expect(SQLiteJournal.leadership(journalPath: path) == nil)
            #expect(try await journal.tryLead(owner: "a"))
            #expect(FileManager.default.fileExists(atPath: path + "-runners/leadership"))
            await journal.close()
        }
    }

    @Test func aMemoryJournalHasOneLeaderToo() async throws {
        let journal = try memoryJournal()
        #expect(try await journal.tryLead(owner: "a"))
        #expect(try await !journal.tryLead(owner: "b"))
        await journal.resignLeadership(owner: "a")
        #expect(try await journal.tryLead(owner: "b"))
        await journal.close()
    }

    /// A follower's writer queues no background checkpoint and leaves the WAL to the leader, up to
    /// its own limit; the leader's commits see the WAL the follower grows and checkpoint it.
    @Test func aFollowerLeavesTheCheckpointsToTheLeader() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let leader = try SQLiteJournal(path: path, durability: .normal)
            let follower = try SQLiteJournal(path: path, durability: .normal)
            #expect(try await leader.tryLead(owner: "leader"))
            #expect(try await !follower.tryLead(owner: "follower"))
            let payload = [UInt8](repeating: 7, count: 12_000)
            // The leader commits nothing: past its limit the follower's writer still checkpoints.
            for round in 0..<600 {
                _ = try await follower.insert(
                    (0..<4).map { newJob("j\(round)-\($0)", runAt: at(3_600), payload: payload) }, now: t0)
            }
            let alone = try #require(follower.checkpoints).counts
            #expect(alone.queued == 0, "\(alone)")
            #expect(alone.byWriter > 0, "\(alone)")
            let limit = (BackgroundCheckpoints.defaultWriterLimit + 200) * (4096 + 24) + 32
            #expect(fileSize(path + "-wal") <= limit, "WAL \(fileSize(path + "-wal")) bytes")
            // The leader commits too: its background checkpoints take the follower's frames.
            for round in 0..<600 {
                _ = try await follower.insert(
                    (0..<4).map { newJob("k\(round)-\($0)", runAt: at(3_600), payload: payload) }, now: t0)
                _ = try await leader.insert(newJob("l\(round)", runAt: at(3_600)), now: t0)
            }
            #expect(try #require(follower.checkpoints).counts.queued == 0)
            #expect(try #require(leader.checkpoints).counts.queued >= 2)
            // Once it resigns, the follower's journal checkpoints as a lone journal does.
            await follower.resignLeadership(owner: "follower")
            for round in 0..<100 {
                _ = try await follower.insert(
                    (0..<4).map { newJob("m\(round)-\($0)", runAt: at(3_600), payload: payload) }, now: t0)
            }
            #expect(try #require(follower.checkpoints).counts.queued >= 1)
            await follower.close()
            await leader.close()
        }
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
