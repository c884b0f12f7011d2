import DocketCore

extension SQLiteJournal {
    /// Refuses an existing file that is not a journal this build can read.
    ///
    /// The check runs on a read-only connection, so that nothing it does, not even the checkpoint
    /// SQLite runs when the last connection to a database in WAL mode closes, can change the file.
    ///
    /// It waits for locks as the other connections do: another process may hold the file's lock for a
    /// moment, for the recovery that follows a crash or the clean-up of the last connection to close.
    static func verifyExisting(path: String, busyTimeout: Duration) throws {
        let connection = try Connection(path: path, readOnly: true)
        defer { connection.close() }
        try connection.setBusyTimeout(busyTimeout)
        try JournalSchema.check(JournalSchema.inspect(connection), path: path)
    }

    /// Opens the writer's connection: checks the database, then sets WAL, durability and the busy
    /// timeout, then migrates. Runs on the writer thread, which owns the connection from then on.
    /// A file journal's checkpoints go to `checkpoints` (see ``BackgroundCheckpoints``).
    static func openWriter(
        _ configuration: JournalConfiguration, checkpoints: BackgroundCheckpoints?
    ) throws -> Connection {
        let connection = try Connection(path: configuration.path)
        // A file SQLite may not write (read-only file system, immutable or unwritable file) opens read-only
        // without an error, and every write would fail later; refuse it now, before anything is written.
        guard !connection.isReadOnly else {
            throw JournalError(
                kind: .readOnly, message: "the file could be opened only for reading", path: configuration.path)
        }
        try connection.setBusyTimeout(configuration.busyTimeout)
        // Checked again on the connection that writes, before its first write: the file may have
        // been empty, or changed since the read-only check.
        let inspection = try JournalSchema.inspect(connection)
        try JournalSchema.check(inspection, path: configuration.path)
        if inspection.isEmpty {
            // SQLite accepts this only before the first table: a new journal can hand the pages that
            // pruning frees back to the file system (``incrementalVacuumPages``); an older one keeps
            // them for its next jobs unless it is vacuumed by hand (README, Retention).
            try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
        }
        if configuration.path != nil {
            let mode = try connection.pragmaText("journal_mode = WAL")
            guard mode.lowercased() == "wal" else {
                throw JournalError(
                    kind: .other, message: "SQLite kept journal_mode \(mode) instead of WAL",
                    path: configuration.path)
            }
        }
        try connection.execute(synchronousPragma(configuration.durability))
        // SQLite's default checkpoints every 1,000 WAL pages inside the COMMIT that crosses the mark,
        // on the writer, stalling that commit for milliseconds. Checkpoints run in the background
        // instead, on the reader's thread (BackgroundCheckpoints), so SQLite's own is turned off.
        try connection.execute("PRAGMA wal_autocheckpoint = 0")
        if let checkpoints {
            // A WAL that grew past the bound in a burst is cut back when it starts over, so that
            // the files' size follows the journal's data rather than its busiest moment.
            let limit = checkpoints.sizeLimitBytes(pageSize: try connection.pragmaInteger("page_size"))
            try connection.execute("PRAGMA journal_size_limit = \(limit)")
        }
        // 16 MB of page cache (SQLite's default is 2 MB) keeps the hot indexes of a large journal in
        // memory.
        try connection.execute("PRAGMA cache_size = -16384")
        try JournalSchema.migrate(connection)
        if let checkpoints { try connection.reportCommits(to: checkpoints) }
        return connection
    }

    /// The schema version of the journal at `path`, read without changing the file; throws for a file
    /// that is not a journal or was written by a newer Docket.
    package static func schemaVersion(ofJournalAt path: String) throws -> Int {
        guard JournalFile.permissions(path: path) != nil else {
            throw JournalError(kind: .cannotOpen, message: "no journal exists at this path", path: path)
        }
        let connection = try Connection(path: path, readOnly: true)
        defer { connection.close() }
        let inspection = try JournalSchema.inspect(connection)
        try JournalSchema.check(inspection, path: path)
        return inspection.userVersion
    }

    /// The schema version this build writes.
    package static var currentSchemaVersion: Int { JournalSchema.currentVersion }

    /// Opens the only connection of a read-only journal: the file must exist and be a journal of
    /// exactly this build's schema, since a read-only journal cannot migrate one.
    static func openReadOnly(path: String, _ configuration: JournalConfiguration) throws -> Connection {
        guard JournalFile.permissions(path: path) != nil else {
            throw JournalError(kind: .cannotOpen, message: "no journal exists at this path", path: path)
        }
        let connection = try Connection(path: path, readOnly: true)
        do {
            try connection.setBusyTimeout(configuration.busyTimeout)
            let inspection = try JournalSchema.inspect(connection)
            try JournalSchema.check(inspection, path: path)
            guard inspection.userVersion == JournalSchema.currentVersion else {
                throw JournalError(
                    kind: .schemaTooOld(found: inspection.userVersion, current: JournalSchema.currentVersion), message: "",
                    path: path)
            }
            return connection
        } catch {
            connection.close()
            throw error
        }
    }

    /// Opens the read connection; it refuses writes so that every write goes through the writer.
    static func openReader(path: String, _ configuration: JournalConfiguration) throws -> Connection {
        let connection = try Connection(path: path)
        try connection.setBusyTimeout(configuration.busyTimeout)
        try connection.execute("PRAGMA query_only = 1")
        return connection
    }

    /// In WAL mode FULL syncs the WAL at every commit; NORMAL only at checkpoints, which keeps the
    /// journal consistent but may lose the latest commits on power loss.
    static func synchronousPragma(_ durability: Durability) -> String {
        switch durability {
        case .full: "PRAGMA synchronous = FULL"
        case .normal: "PRAGMA synchronous = NORMAL"
        }
    }

    /// The writer connection's `PRAGMA synchronous`: 2 for FULL, 1 for NORMAL. For tests.
    func synchronousLevel() async throws -> Int {
        try await writer.submit(writes: false) { try $0.pragmaInteger("synchronous") }
    }

    /// The writer connection's `PRAGMA journal_mode`. For tests.
    func journalMode() async throws -> String {
        try await writer.submit(writes: false) { try $0.pragmaText("journal_mode") }
    }
}
