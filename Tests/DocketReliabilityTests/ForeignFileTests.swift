import Docket
import Foundation
import Testing

/// Files that are not journals this build can use, opened through the public API.
@Suite struct ForeignFileTests {
    /// Opens `path` expecting `DocketError.storage` of `kind`; the file's bytes stay as they were, and
    /// nothing is written beside it: SQLite's read-only check of a file in WAL mode may leave an empty
    /// -wal and a -shm index, which it cannot remove.
    private func expectRefused(_ path: String, _ kind: DocketError.StorageFailure.Kind, saying words: String) throws {
        let before = try #require(fileBytes(path))
        expectJournalRefused(path, kind, saying: words)
        #expect(fileBytes(path) == before)
        #expect(fileBytes(path + "-wal") ?? [] == [], "nothing may be written to the refused journal")
    }

    /// A file that is not a journal (text, another app's SQLite): `.storage` of kind `.notAJournal`, the file unchanged.
    @Test func aFileThatIsNotAJournalIsRefusedAndLeftUnchanged() async throws {
        let directory = try TemporaryDirectory("foreign")
        defer { directory.remove() }
        let text = directory.file("notes.txt")
        #expect(FileManager.default.createFile(atPath: text, contents: Data(repeating: 0x41, count: 10_000)))
        try expectRefused(text, .notAJournal, saying: "is not a Docket journal")

        let other = directory.file("other.sqlite")
        #expect(FileManager.default.createFile(atPath: other, contents: nil))
        let database = try RawDatabase(path: other)
        try database.execute("CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('keep me')")
        try expectRefused(other, .notAJournal, saying: "left untouched")
        #expect(try RawDatabase(path: other, readOnly: true).scalar("SELECT name FROM customers") == "keep me")
    }

    /// A journal from a newer Docket: `.storage` of kind `.schemaTooNew` saying to upgrade, the file unchanged.
    @Test func aJournalFromANewerDocketIsRefusedAndLeftUnchanged() async throws {
        let directory = try TemporaryDirectory("newer")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        let scheduler = try JobScheduler(path: path)
        try await scheduler.schedule(name: "kept", .after(.seconds(60)))
        await scheduler.close()
        let version: Int
        do {
            let raw = try RawDatabase(path: path)
            version = try #require(Int(try raw.scalar("PRAGMA user_version") ?? ""))
            try raw.execute("PRAGMA user_version = \(version + 1)")
        }
        #expect(!fileExists(path + "-wal"), "closing the last connection removes the -wal")
        try expectRefused(path, .schemaTooNew(found: version + 1, supported: version), saying: "upgrade Docket")
    }
}
