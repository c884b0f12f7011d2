import DocketSQLite

extension DocketError {
    /// Why the journal could not do what was asked.
    ///
    /// ``kind`` says what went wrong in a form code can switch on; ``description`` says what went wrong
    /// and what to do about it, in a form a person can act on.
    public struct StorageFailure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What went wrong.
        public enum Kind: Sendable, Hashable {
            /// The disk or file system holding the journal is full (`SQLITE_FULL`). Nothing committed
            /// is lost; free space and retry.
            case diskFull
            /// Another connection, usually another process, held the journal's lock longer than the
            /// busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`). Retry, or raise
            /// ``SchedulerConfiguration/busyTimeout``.
            case busy
            /// The journal cannot be written: file permissions or a read-only mount
            /// (`SQLITE_READONLY`). Give the process write access to the file and its directory.
            case readOnly
            /// The journal's file (or the runner lock beside it) could not be opened or created
            /// (`SQLITE_CANTOPEN`). Check that the directory exists and is writable.
            case cannotOpen
            /// The file is not a Docket journal: not SQLite, corrupt, or another application's
            /// database. It was left untouched; point Docket at another file.
            case notAJournal
            /// The journal was written by a newer Docket (schema `found`; this build reads up to
            /// `supported`). It was left untouched; upgrade Docket.
            case schemaTooNew(found: Int, supported: Int)
            /// The journal was written by an older Docket (schema `found`; this build reads `current`)
            /// and was opened read-only (as the `docket` tool opens a journal it only reads), which
            /// cannot migrate it. It was left untouched; open it read-write once (start a scheduler on
            /// it, or run `docket migrate`).
            case schemaTooOld(found: Int, current: Int)
            /// A payload of `size` bytes is over the limit of `limit` bytes; nothing of the batch was
            /// scheduled. Keep large data elsewhere and pass a reference, or raise
            /// ``SchedulerConfiguration/maxPayloadBytes``.
            case payloadTooLarge(size: Int, limit: Int)
            /// The system's libsqlite3 is older than Docket needs: version `found` (as SQLite numbers
            /// them, 3037000 for 3.37.0) where `required` or newer is needed (`RETURNING` came in 3.35,
            /// `sqlite3_changes64` in 3.37). Nothing was opened; install a newer libsqlite3.
            case sqliteTooOld(found: Int, required: Int)
            /// The scheduler was closed with ``JobScheduler/close()``. Create a new ``JobScheduler``.
            case closed
            /// The operating system refused a read, write or sync of the journal (`SQLITE_IOERR`); the
            /// transaction was rolled back. Check the disk and file system, then retry.
            case ioError
            /// Anything else, such as a constraint the journal enforces; ``description`` says what.
            case other
        }

        /// What went wrong.
        public var kind: Kind
        /// SQLite's extended result code, when the failure came from SQLite.
        public var sqliteCode: Int32?
        /// The underlying detail: SQLite's message, the operating system's error, or Docket's own.
        public var message: String
        /// The journal's file path, or nil for an in-memory journal.
        public var path: String?
        /// What went wrong and what to do about it.
        public var description: String

        private init(kind: Kind, sqliteCode: Int32?, message: String, path: String?, description: String) {
            self.kind = kind
            self.sqliteCode = sqliteCode
            self.message = message
            self.path = path
            self.description = description
        }

        /// A failure the scheduler itself detected, outside the journal.
        init(kind: Kind, message: String, path: String?) {
            self.init(kind: kind, sqliteCode: nil, message: message, path: path, description: message)
        }

        /// The failure an error from the journal stands for; anything else is ``Kind/other``.
        package init(_ error: any Error) {
            guard let error = error as? JournalError else {
                self.init(kind: .other, message: String(describing: error), path: nil)
                return
            }
            let kind = Kind(error)
            // The journal's own words for a closed journal name the engine; users hold a scheduler.
            let description = kind == .closed
                ? "the scheduler was closed; create a new JobScheduler to schedule or inspect jobs again"
                : error.description
            self.init(
                kind: kind, sqliteCode: error.extendedResultCode, message: error.message, path: error.path,
                description: description)
        }
    }
}

extension DocketError.StorageFailure.Kind {
    init(_ error: JournalError) {
        switch error.kind {
        case .diskFull: self = .diskFull
        case .busy: self = .busy
        case .readOnly: self = .readOnly
        case .cannotOpen: self = .cannotOpen
        case .notAJournal: self = .notAJournal
        case .schemaTooNew(let found, let supported): self = .schemaTooNew(found: found, supported: supported)
        case .schemaTooOld(let found, let current): self = .schemaTooOld(found: found, current: current)
        case .payloadTooLarge(let size, let limit): self = .payloadTooLarge(size: size, limit: limit)
        case .sqliteTooOld(let found, let required): self = .sqliteTooOld(found: found, required: required)
        case .closed: self = .closed
        case .other where error.isIOError: self = .ioError
        case .other: self = .other
        }
    }
}
