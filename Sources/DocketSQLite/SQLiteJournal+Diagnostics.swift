import DocketCore

/// What `docket doctor` reports about a journal file.
package struct JournalDiagnostics: Sendable, Hashable, Codable {
    /// The schema version the file carries (`PRAGMA user_version`).
    package var schemaVersion: Int
    /// The schema version this build writes.
    package var supportedSchemaVersion: Int
    /// What `PRAGMA integrity_check` said: `["ok"]` for a sound file, else each problem found.
    package var integrity: [String]
    /// The database's size in pages, and the page size in bytes.
    package var pageCount: Int
    package var pageSize: Int
    /// Pages that hold no data and would come back with a vacuum.
    package var freePages: Int
    /// The SQLite library this process runs, and the oldest the journal runs on.
    package var sqliteVersion: String
    package var sqliteRequired: String
}

extension SQLiteJournal {
    /// Checks the journal's pages and reads its header; on the read connection, so a running
    /// scheduler is not held up (`integrity_check` reads every page: seconds on a large journal).
    package func diagnostics() async throws -> JournalDiagnostics {
        try await read { connection in
            let integrity = try connection.rows("PRAGMA integrity_check", row: { $0.text(0) })
            return JournalDiagnostics(
                schemaVersion: try connection.pragmaInteger("user_version"),
                supportedSchemaVersion: JournalSchema.currentVersion,
                integrity: integrity,
                pageCount: try connection.pragmaInteger("page_count"),
                pageSize: try connection.pragmaInteger("page_size"),
                freePages: try connection.pragmaInteger("freelist_count"),
                sqliteVersion: SQLiteVersion.text(SQLiteVersion.linked),
                sqliteRequired: SQLiteVersion.text(SQLiteVersion.required))
        }
    }
}
