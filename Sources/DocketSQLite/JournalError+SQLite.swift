import CSQLite

extension JournalError.Kind {
    /// The kind for an SQLite extended result code. The primary code (the low byte) decides, so every
    /// extended variant of a code (`SQLITE_READONLY_DBMOVED`, `SQLITE_BUSY_SNAPSHOT`…) maps like its
    /// primary code.
    init(sqliteCode code: Int32) {
        switch code & 0xFF {
        case SQLITE_FULL: self = .diskFull
        case SQLITE_BUSY, SQLITE_LOCKED: self = .busy
        case SQLITE_READONLY, SQLITE_PERM: self = .readOnly
        case SQLITE_NOTADB, SQLITE_CORRUPT: self = .notAJournal
        case SQLITE_CANTOPEN: self = .cannotOpen
        default: self = .other
        }
    }
}

extension JournalError {
    /// The error SQLite reports for `code` on `database`, which may be nil when opening failed to
    /// allocate a handle.
    init(sqliteCode code: Int32, database: OpaquePointer?, sql: String?, path: String?) {
        let message: String
        if let database, let text = sqlite3_errmsg(database) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        self.init(kind: Kind(sqliteCode: code), extendedResultCode: code, message: message, sql: sql, path: path)
    }

    /// The error for calls made after ``SQLiteJournal/close()``.
    static func closed(path: String?) -> JournalError {
        JournalError(kind: .closed, message: "", path: path)
    }
}

extension JournalError {
    /// Whether SQLite reported an I/O error (`SQLITE_IOERR` or one of its extended codes): the operating
    /// system refused a read, write or sync of the journal or its -wal file.
    package var isIOError: Bool {
        extendedResultCode.map { $0 & 0xFF == SQLITE_IOERR } ?? false
    }
}
