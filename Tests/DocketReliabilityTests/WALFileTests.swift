import Docket
import DocketSQLite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The -wal file after a crash: left behind, or deleted by hand before the journal is opened again.
@Suite(.timeLimit(.minutes(1)))
struct WALFileTests {
    /// The indices of the `written` jobs in the journal at `path`, read from their payloads, which the
    /// public API does not show.
    private func writtenIndices(_ path: String) async throws -> [Int] {
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
        let jobs = try await journal.jobs(in: .scheduled, after: nil, limit: 100_000)
        await journal.close()
        return jobs.compactMap { Int(String(decoding: $0.payload, as: UTF8.self)) }.sorted()
    }

    /// The highest `committed N` a writer printed.
    private func lastCommitted(_ run: ChildRun) -> Int? {
        run.lines.compactMap { $0.hasPrefix("committed ") ? Int($0.dropFirst(10)) : nil }.max()
    }

    /// A -wal left by a writer killed mid-write is recovered on open: every acknowledged commit is there, integrity ok.
    @Test func aWALLeftByAKilledWriterIsRecoveredOnOpen() async throws {
        let directory = try TemporaryDirectory("wal-left")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        let run = try await TortureProcess.run(
            ["writer", "--journal", path, "--first", "0", "--count", "100000"],
            killAt: KillPoint(marker: "committed 25", occurrence: 1))
        #expect(run.wasKilled, "\(run.transcript)")
        let committed = try #require(lastCommitted(run))
        #expect((fileBytes(path + "-wal")?.count ?? 0) > 0, "the killed writer left its commits in the -wal")
        let indices = try await writtenIndices(path)
        #expect(Array(indices.prefix(committed + 1)) == Array(0...committed))
        #expect(indices.count <= committed + 2, "at most the one write in flight beyond the last reported commit")
        #expect(try RawDatabase(path: path, readOnly: true).scalar("PRAGMA integrity_check") == "ok")
    }

    /// A -wal deleted after a crash: the journal opens, integrity ok, with all checkpointed jobs; only the -wal's commits are lost.
    @Test func aDeletedWALLosesOnlyWhatItHeld() async throws {
        let directory = try TemporaryDirectory("wal-deleted")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        let first = try await TortureProcess.run(["writer", "--journal", path, "--first", "0", "--count", "10"])
        #expect(first.ending == .exited(0) && first.lines.last == "done", "\(first.transcript)")
        #expect(!fileExists(path + "-wal"), "a clean close checkpoints the -wal into the journal and removes it")

        let killed = try await TortureProcess.run(
            ["writer", "--journal", path, "--first", "10", "--count", "100000"],
            killAt: KillPoint(marker: "committed 15", occurrence: 1))
        #expect(killed.wasKilled, "\(killed.transcript)")
        #expect((fileBytes(path + "-wal")?.count ?? 0) > 0)
        #expect(unlink(path + "-wal") == 0)

        #expect(try await writtenIndices(path) == Array(0..<10))
        #expect(try RawDatabase(path: path, readOnly: true).scalar("PRAGMA integrity_check") == "ok")
        let scheduler = try JobScheduler(path: path)
        try await scheduler.schedule(name: "after the loss", .after(.seconds(3600)))
        #expect(try await scheduler.counts() == JobCounts(scheduled: 11))
        await scheduler.close()
    }
}
