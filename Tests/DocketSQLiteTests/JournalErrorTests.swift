import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct JournalErrorTests {
    @Test(arguments: [
        (Int32(13), JournalError.Kind.diskFull),  // SQLITE_FULL
        (5, .busy),  // SQLITE_BUSY
        (517, .busy),  // SQLITE_BUSY_SNAPSHOT
        (6, .busy),  // SQLITE_LOCKED
        (8, .readOnly),  // SQLITE_READONLY
        (264, .readOnly),  // SQLITE_READONLY_RECOVERY
        (26, .notAJournal),  // SQLITE_NOTADB
        (11, .notAJournal),  // SQLITE_CORRUPT
        (14, .cannotOpen),  // SQLITE_CANTOPEN
        (19, .other),  // SQLITE_CONSTRAINT
    ])
    func extendedCodesMapToKinds(code: Int32, kind: JournalError.Kind) {
        #expect(JournalError.Kind(sqliteCode: code) == kind)
    }

    @Test func descriptionsSayWhatToDo() {
        let busy = JournalError(kind: .busy, message: "database is locked", path: "/tmp/j")
        #expect(busy.description.contains("/tmp/j") && busy.description.contains("busyTimeout"))
        let full = JournalError(kind: .diskFull, message: "", path: nil)
        #expect(full.description.contains("in-memory journal") && full.description.contains("free disk space"))
        let foreign = JournalError(kind: .notAJournal, message: "file is not a database", path: "/tmp/x")
        #expect(foreign.description.contains("left untouched") && foreign.description.contains("another file"))
    }

    @Test func namesBecomeAJSONArray() {
        #expect([String]().jsonArrayText == "[]")
        #expect(["a", "b\"c", "d\\e", "\n\t\u{01}", "é"].jsonArrayText == #"["a","b\"c","d\\e","\n\t\u0001","é"]"#)
    }
}
