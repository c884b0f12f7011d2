extension JournalSchema {
    /// What a database says about itself, read without writing anything.
    struct Inspection: Equatable {
        var applicationID: Int32
        var userVersion: Int
        var hasSchemaObjects: Bool

        /// A database nothing was written to yet: no Docket header fields, no table or index.
        var isEmpty: Bool { applicationID == 0 && userVersion == 0 && !hasSchemaObjects }
    }

    /// Reads the header fields and whether the database holds any table or index. Reading the schema is
    /// also what makes SQLite notice a file that is not a database, or a corrupt one.
    static func inspect(_ connection: Connection) throws -> Inspection {
        let objects = try connection.firstRow("SELECT count(*) FROM sqlite_master") { $0.int(0) } ?? 0
        return Inspection(
            applicationID: Int32(truncatingIfNeeded: try connection.pragmaInteger("application_id")),
            userVersion: try connection.pragmaInteger("user_version"),
            hasSchemaObjects: objects > 0
        )
    }

    /// Throws unless `inspection` is an empty database or a Docket journal this build can read.
    static func check(_ inspection: Inspection, path: String?) throws {
        if inspection.isEmpty { return }
        guard inspection.applicationID == applicationID else {
            let found = "0x" + String(UInt32(bitPattern: inspection.applicationID), radix: 16)
            throw JournalError(
                kind: .notAJournal,
                message: "SQLite database with application_id \(found), not Docket's",
                path: path
            )
        }
        guard inspection.userVersion <= currentVersion else {
            throw JournalError(
                kind: .schemaTooNew(found: inspection.userVersion, supported: currentVersion),
                message: "",
                path: path
            )
        }
    }

    /// Applies every step the journal lacks, each in its own transaction, re-checking inside the
    /// transaction in case another process opened the same file at the same time.
    static func migrate(_ connection: Connection) throws {
        for (offset, statements) in migrations.enumerated() {
            let version = offset + 1
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let inspection = try inspect(connection)
                try check(inspection, path: connection.path)
                if inspection.userVersion < version {
                    for statement in statements {
                        try connection.execute(statement)
                    }
                    // Pragmas take no parameters; both values are constants of this file.
                    try connection.execute("PRAGMA application_id = \(applicationID)")
                    try connection.execute("PRAGMA user_version = \(version)")
                }
                try connection.execute("COMMIT")
            } catch {
                if connection.isInTransaction { try? connection.execute("ROLLBACK") }
                throw error
            }
        }
    }
}
