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
    /// Where `job_counts` disagrees with the jobs it counts: empty when the counts are exact, nil for
    /// a journal older than the counts.
    package var countsDrift: [CountDrift]?

    /// One (queue, name, state) whose kept count is not the number of its jobs.
    package struct CountDrift: Sendable, Hashable, Codable {
        package var queue: String
        package var name: String
        package var state: String
        package var kept: Int
        package var counted: Int
    }
}

extension SQLiteJournal {
    /// Checks the journal's pages and reads its header; on the read connection, so a running
    /// scheduler is not held up (`integrity_check` reads every page: seconds on a large journal).
    package func diagnostics() async throws -> JournalDiagnostics {
        try await read { connection in
            let integrity = try connection.rows("PRAGMA integrity_check", row: { $0.text(0) })
            let hasCounts = try connection.firstRow(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'job_counts'") { $0.int(0) } == 1
            let drift = try hasCounts ? Self.countsDrift(on: connection) : nil
            return JournalDiagnostics(
                schemaVersion: try connection.pragmaInteger("user_version"),
                supportedSchemaVersion: JournalSchema.currentVersion,
                integrity: integrity,
                pageCount: try connection.pragmaInteger("page_count"),
                pageSize: try connection.pragmaInteger("page_size"),
                freePages: try connection.pragmaInteger("freelist_count"),
                sqliteVersion: SQLiteVersion.text(SQLiteVersion.linked),
                sqliteRequired: SQLiteVersion.text(SQLiteVersion.required),
                countsDrift: drift.map { drift in
                    drift.map { key, pair in
                        JournalDiagnostics.CountDrift(
                            queue: key.queue, name: key.name, state: key.state.rawValue, kept: pair.kept, counted: pair.counted)
                    }.sorted { ($0.queue, $0.name, $0.state) < ($1.queue, $1.name, $1.state) }
                })
        }
    }
}
