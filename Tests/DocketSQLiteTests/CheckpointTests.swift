import DocketCore
import Foundation
import Testing

@testable import DocketSQLite

@Suite(.timeLimit(.minutes(2))) struct CheckpointTests {
    /// Size of the file at `path` in bytes; 0 when missing.
    private func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test func theWriterLeavesCheckpointsToTheReader() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path, durability: .normal)
            #expect(try await journal.writer.submit(writes: false) { try $0.pragmaInteger("wal_autocheckpoint") } == 0)
            let checkpoints = try #require(journal.checkpoints)
            // Enough commits to cross the threshold several times, each with a payload of a few pages.
            let payload = [UInt8](repeating: 7, count: 12_000)
            for round in 0..<600 {
                _ = try await journal.insert(
                    (0..<4).map { newJob("j\(round)-\($0)", runAt: at(3_600), payload: payload) }, now: t0)
            }
            let counts = checkpoints.counts
            #expect(counts.queued >= 2, "\(counts)")
            // The WAL started over after background checkpoints instead of holding every commit.
            let frames = try await journal.read { try $0.firstRow("PRAGMA wal_checkpoint(PASSIVE)") { $0.int(1) } ?? -1 }
            #expect(frames >= 0 && frames < BackgroundCheckpoints.defaultWriterLimit, "\(frames)")
            #expect(try await journal.countsByState() == [.scheduled: 2_400])
            await journal.close()
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "close checkpoints and removes the -wal")
            #expect(size(path) > 2_400 * 12_000)
        }
    }

    @Test func theWALStaysBoundedWhileTheReaderIsBusy() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path, durability: .normal)
            let checkpoints = try #require(journal.checkpoints)
            let reader = try #require(journal.reader)
            // The reader takes no work until resumed: every background checkpoint stays queued.
            reader.pauseForTesting()
            let payload = [UInt8](repeating: 9, count: 12_000)
            for round in 0..<1_200 {
                _ = try await journal.insert(
                    (0..<4).map { newJob("j\(round)-\($0)", runAt: at(3_600), payload: payload) }, now: t0)
            }
            // One checkpoint queued and stuck; the writer checkpointed itself past its limit.
            #expect(checkpoints.counts.queued == 1)
            #expect(checkpoints.counts.byWriter > 0)
            // About 4 pages per job, 4,800 jobs: without the writer's checkpoints the WAL would hold
            // every one of them. A frame is a 4 KB page plus a 24-byte header.
            let limit = (BackgroundCheckpoints.defaultWriterLimit + 200) * (4096 + 24) + 32
            #expect(size(path + "-wal") <= limit, "WAL \(size(path + "-wal")) bytes")
            reader.resumeForTesting()
            #expect(try await journal.countsByState() == [.scheduled: 4_800])
            await journal.close()
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    /// After a burst larger than the bound, the WAL starts over and `journal_size_limit` cuts the
    /// file back, so the files' size follows the journal's data.
    @Test func theWALFileShrinksBackAfterABurst() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path, durability: .normal)
            let checkpoints = try #require(journal.checkpoints)
            let limit = checkpoints.sizeLimitBytes(pageSize: 4_096)
            #expect(try await journal.writer.submit(writes: false) { try $0.pragmaInteger("journal_size_limit") } == limit)
            // One transaction of about 3 MB: the WAL has to hold it whole.
            let payload = [UInt8](repeating: 1, count: 12_000)
            _ = try await journal.insert((0..<250).map { newJob("b\($0)", runAt: at(3_600), payload: payload) }, now: t0)
            #expect(size(path + "-wal") > 2 * limit)
            _ = try await journal.read { try $0.firstRow("PRAGMA wal_checkpoint(PASSIVE)") { $0.int(0) } }
            // Every frame copied: the next commit starts the WAL over and cuts the file to the limit.
            _ = try await journal.insertID(newJob("small", runAt: at(3_600)))
            #expect(size(path + "-wal") <= limit, "WAL \(size(path + "-wal")) bytes")
            #expect(try await journal.countsByState() == [.scheduled: 251])
            await journal.close()
        }
    }

    /// A steady stream of commits with the reader free: the WAL starts over near the threshold
    /// instead of growing to the writer's limit, and the data reaches the main file as it goes.
    @Test func theWALStaysNearTheThresholdWhileCommitsStream() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path, durability: .normal)
            let checkpoints = try #require(journal.checkpoints)
            let payload = [UInt8](repeating: 2, count: 12_000)
            var largest = 0
            for round in 0..<400 {
                _ = try await journal.insert(
                    (0..<4).map { newJob("s\(round)-\($0)", runAt: at(3_600), payload: payload) }, now: t0)
                largest = max(largest, size(path + "-wal"))
            }
            let frame = 4_096 + 24
            #expect(largest <= (BackgroundCheckpoints.defaultWriterLimit + 64) * frame + 32, "WAL \(largest) bytes")
            #expect(checkpoints.counts.byWriter > 0)
            // 1,600 jobs of 12 KB: most of them are in the main file already.
            #expect(size(path) > 1_600 * 12_000 - BackgroundCheckpoints.defaultWriterLimit * 4_096)
            await journal.close()
        }
    }
}
