import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct SQLiteVersionTests {
    /// A library older than 3.37.0 is refused with the version found and both versions Docket needs.
    @Test(arguments: [3_034_001, 3_036_000])
    func anOlderSQLiteIsRefusedNamingTheVersions(found: Int) throws {
        let error = try #require(throws: JournalError.self) {
            try SQLiteVersion.check(found, path: "/tmp/jobs.docket")
        }
        #expect(error.kind == .sqliteTooOld(found: found, required: 3_037_000))
        #expect(error.description.contains("SQLite \(SQLiteVersion.text(found)),"), "\(error)")
        #expect(error.description.contains("RETURNING needs 3.35.0"), "\(error)")
        #expect(error.description.contains("sqlite3_changes64 3.37.0"), "\(error)")
        #expect(error.description.contains("/tmp/jobs.docket"), "\(error)")
    }

    /// 3.37.0 itself, a later release and the library this process runs with are accepted.
    @Test(arguments: [3_037_000, 3_045_003, SQLiteVersion.linked])
    func aRecentEnoughSQLiteIsAccepted(found: Int) throws {
        try SQLiteVersion.check(found, path: nil)
    }

    @Test func versionNumbersReadAsText() {
        #expect(SQLiteVersion.text(3_034_001) == "3.34.1")
        #expect(SQLiteVersion.text(3_037_000) == "3.37.0")
        #expect(SQLiteVersion.text(3_045_012) == "3.45.12")
    }
}
