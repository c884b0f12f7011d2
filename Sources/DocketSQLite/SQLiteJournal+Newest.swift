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

extension SQLiteJournal {
    /// `PRAGMA data_version` of the writer's connection: it changes when any other connection commits
    /// (another process, or another journal object on the file), never for this journal's own writes.
    /// Reading it touches only the WAL index in shared memory. In memory, no other connection exists.
    package func changesByOthers() async throws -> Int64? {
        guard configuration.path != nil else { return nil }
        return try await writer.submit(writes: false) { connection in
            Int64(try connection.pragmaInteger("data_version"))
        }
    }
}
