import DocketCore

extension SQLiteJournal {
    /// The largest job id, nil when the journal has no job: one step down the rowid B-tree.
    package func newestJobID() async throws -> JobID? {
        try await read { connection in
            try connection.firstRow("SELECT max(id) FROM jobs", []) { row in
                row.isNull(0) ? nil : JobID(row.int64(0))
            } ?? nil
        }
    }
}
