import DocketCore

/// Docket's default ``JobStore``: a journal of jobs and their attempts in one SQLite file.
///
/// Writes go through one connection on one dedicated writer thread. Operations that arrive while a
/// transaction is committing are committed together in the next one (group commit), so many
/// concurrent callers share each fsync; each caller still gets its own result, and an operation that
/// fails is retried alone so that it never fails its neighbours. Reads use a second connection on a
/// thread of their own and never wait for the writer (WAL mode).
///
/// `SQLiteJournal` is `Sendable`: its stored properties are immutable, and all mutable state lives in
/// its two ``ConnectionThread``s, each guarded by its own lock, with every SQLite connection confined to
/// the thread that owns it.
package final class SQLiteJournal: JobStore {
    /// The configuration the journal was opened with.
    package let configuration: JournalConfiguration
    /// Owns the connection every write goes through.
    let writer: ConnectionThread
    /// Owns the read connection; nil in memory, where reads share the writer's private database.
    let reader: ConnectionThread?
    /// Runs the WAL's checkpoints on the reader's thread; nil in memory, where there is no WAL.
    let checkpoints: BackgroundCheckpoints?

    /// Opens the journal, creating it if needed, and brings its schema up to date.
    ///
    /// An existing file is checked before anything is written to it: a file that is not a Docket
    /// journal, or one written by a newer Docket, is refused and left untouched.
    ///
    /// - Throws: ``JournalError``: ``JournalError/Kind/sqliteTooOld(found:required:)``,
    ///   ``JournalError/Kind/notAJournal``,
    ///   ``JournalError/Kind/schemaTooNew(found:supported:)``, ``JournalError/Kind/cannotOpen``,
    ///   ``JournalError/Kind/readOnly`` or ``JournalError/Kind/busy``.
    package init(configuration: JournalConfiguration) throws {
        self.configuration = configuration
        let path = configuration.path
        // Before any file is touched: an older library would fail only at the first claim or update.
        try SQLiteVersion.check(SQLiteVersion.linked, path: path)
        if configuration.readOnly {
            guard let path else {
                throw JournalError(kind: .other, message: "an in-memory journal cannot be opened read-only", path: nil)
            }
            writer = try ConnectionThread(name: "docket.journal.inspector", batchLimit: 1, path: path) {
                try Self.openReadOnly(path: path, configuration)
            }
            reader = nil
            checkpoints = nil
            return
        }
        if let path, try JournalFile.prepare(path: path) {
            try Self.verifyExisting(path: path, busyTimeout: configuration.busyTimeout)
        }
        let checkpoints = path == nil ? nil : BackgroundCheckpoints()
        self.checkpoints = checkpoints
        let writer = try ConnectionThread(name: "docket.journal.writer", batchLimit: Self.batchLimit, path: path) {
            try Self.openWriter(configuration, checkpoints: checkpoints)
        }
        self.writer = writer
        guard let path else {
            reader = nil
            return
        }
        do {
            let reader = try ConnectionThread(name: "docket.journal.reader", batchLimit: 1, path: path) {
                try Self.openReader(path: path, configuration)
            }
            self.reader = reader
            checkpoints?.attach(reader: reader)
        } catch {
            writer.stopAccepting()
            throw error
        }
    }

    deinit {
        // Without a close the threads would wait for work forever; they finish what is queued and exit.
        writer.stopAccepting()
        reader?.stopAccepting()
    }

    /// The most operations one write transaction carries.
    static let batchLimit = 4096

    /// The writer's counters: how many transactions committed how many operations.
    package var statistics: JournalStatistics {
        writer.statistics
    }

    /// Finishes the operations already queued, then closes the connections and stops the threads.
    /// Later calls throw ``JournalError/Kind/closed``. Closing twice is harmless.
    package func close() async {
        // The reader closes first, so that the writer's connection is the last one open on the file:
        // SQLite's last connection checkpoints the WAL into the journal and deletes it as it closes.
        // Closing both at once let each see the other still open, and the -wal sometimes stayed.
        reader?.stopAccepting()
        await reader?.join()
        writer.stopAccepting()
        await writer.join()
    }

    /// Runs `body` on the writer thread, inside a transaction it may share with other operations.
    func write<Value: Sendable>(_ body: @escaping @Sendable (Connection) throws -> Value) async throws -> Value {
        try await writer.submit(writes: true, body)
    }

    /// Runs `body` on the read connection, outside any write transaction.
    func read<Value: Sendable>(_ body: @escaping @Sendable (Connection) throws -> Value) async throws -> Value {
        try await (reader ?? writer).submit(writes: false, body)
    }
}
