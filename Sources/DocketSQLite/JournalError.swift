/// Why the SQLite journal could not do what was asked.
///
/// Every error the journal throws is a `JournalError`; ``kind`` says what went wrong in a form code can
/// switch on, and ``description`` says what went wrong and what to do about it, in a form a person can
/// act on.
package struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    package enum Kind: Sendable, Hashable {
        /// The disk or file system holding the journal is full (`SQLITE_FULL`).
        case diskFull
        /// Another connection, usually another process, held the journal's lock longer than the busy
        /// timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`).
        case busy
        /// The journal cannot be written: file permissions, a read-only mount (`SQLITE_READONLY`).
        case readOnly
        /// The file is not a Docket journal: not SQLite at all, corrupt (`SQLITE_NOTADB`,
        /// `SQLITE_CORRUPT`), or another application's SQLite database. The file was left untouched.
        case notAJournal
        /// The journal was written by a newer Docket whose schema this build cannot read. The file was
        /// left untouched.
        case schemaTooNew(found: Int, supported: Int)
        /// The journal was written by an older Docket, and it was opened read-only, which cannot bring
        /// its schema up to date. The file was left untouched.
        case schemaTooOld(found: Int, current: Int)
        /// A job's payload is larger than the configured limit; nothing was inserted.
        case payloadTooLarge(size: Int, limit: Int)
        /// The journal has been closed.
        case closed
        /// The process runs with a libsqlite3 older than the journal needs: `found` and `required` are
        /// versions in SQLite's encoding (`SQLITE_VERSION_NUMBER`, 3037000 for 3.37.0). The journal uses
        /// `RETURNING` (SQLite 3.35.0) and `sqlite3_changes64` (3.37.0). Nothing was opened or created.
        case sqliteTooOld(found: Int, required: Int)
        /// The journal's file could not be opened or created (`SQLITE_CANTOPEN`, or the POSIX call
        /// that creates it failed).
        case cannotOpen
        /// Anything else: a violated constraint, a job field the journal refuses, or an I/O error that the
        /// operating system reported (the description then says so).
        case other
    }

    /// What went wrong.
    package var kind: Kind
    /// SQLite's extended result code, when the error came from SQLite.
    package var extendedResultCode: Int32?
    /// The underlying detail: SQLite's message, the POSIX error, or the journal's own explanation.
    package var message: String
    /// The statement that failed, when one did.
    package var sql: String?
    /// The journal's file path, or nil for an in-memory journal.
    package var path: String?

    /// Creates an error; the journal creates these, and tests may build them to compare.
    package init(
        kind: Kind, extendedResultCode: Int32? = nil, message: String, sql: String? = nil, path: String? = nil
    ) {
        self.kind = kind
        self.extendedResultCode = extendedResultCode
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// What was wrong, and what to do about it.
    package var description: String {
        let journal = path.map { "the journal at \($0)" } ?? "the in-memory journal"
        let detail = message.isEmpty ? "" : " (\(message))"
        switch kind {
        case .diskFull:
            return "\(journal) could not grow because its disk is full\(detail): free disk space and retry"
        case .busy:
            return "\(journal) stayed locked by another connection past the busy timeout\(detail): make sure "
                + "no other process holds a long write transaction on it, or raise busyTimeout, then retry"
        case .readOnly:
            return "\(journal) cannot be written\(detail): give this process write permission on the file "
                + "and its directory (SQLite creates -wal and -shm files there), or use a writable location"
        case .notAJournal:
            let file = path.map { "the file at \($0)" } ?? "the in-memory database"
            return "\(file) is not a Docket journal\(detail); it was left untouched: it is not SQLite, is "
                + "corrupt, or belongs to another application. Point Docket at another file, or restore the "
                + "journal from a backup"
        case .schemaTooNew(let found, let supported):
            return "\(journal) was written by a newer Docket (schema \(found); this build reads up to "
                + "\(supported)); it was left untouched: upgrade Docket or open another file"
        case .schemaTooOld(let found, let current):
            return "\(journal) was written by an older Docket (schema \(found); this build reads \(current)) and was "
                + "opened read-only, which cannot bring it up to date; it was left untouched: open it read-write once "
                + "to migrate it (start a scheduler on it, or run docket migrate)"
        case .payloadTooLarge(let size, let limit):
            return "a job payload is \(size) bytes, over the journal's limit of \(limit) bytes; nothing was "
                + "inserted: make the payload smaller (keep large data elsewhere and pass a reference) or raise "
                + "maxPayloadBytes"
        case .closed:
            return "\(journal) is closed: open a new SQLiteJournal to use it again"
        case .sqliteTooOld(let found, let required):
            return "\(journal) was not opened: this process runs with SQLite \(SQLiteVersion.text(found)), and "
                + "Docket needs \(SQLiteVersion.text(required)) or newer (RETURNING needs "
                + "\(SQLiteVersion.text(SQLiteVersion.returning)), sqlite3_changes64 "
                + "\(SQLiteVersion.text(SQLiteVersion.changes64))): install or link a newer libsqlite3"
        case .cannotOpen:
            return "cannot open \(journal)\(detail): check that its directory exists and that this process may "
                + "create and write files there"
        case .other where isIOError:
            let statement = sql.map { " while running `\($0)`" } ?? ""
            return "\(journal) could not be read or written: the operating system reported an I/O error "
                + "(SQLite code \(extendedResultCode ?? 0))\(statement)\(detail); the transaction was rolled back: check "
                + "the disk and file system (their logs, free space, whether the file or its -wal was made read-only "
                + "or immutable), then retry"
        case .other:
            let code = extendedResultCode.map { " (SQLite code \($0))" } ?? ""
            let statement = sql.map { " while running `\($0)`" } ?? ""
            return "\(journal) failed\(code)\(statement)\(detail): check the job's fields against the journal's "
                + "constraints; if they are valid, this is a bug in Docket, please report it with this message"
        }
    }
}
