import CSQLite

/// A plain SQLite connection, independent of the journal's code: to inspect a journal as it is on disk,
/// and to play another process that holds its lock.
final class RawDatabase {
    private let handle: OpaquePointer
    let path: String

    init(path: String, readOnly: Bool = false) throws(RawDatabaseError) {
        var database: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            sqlite3_close_v2(database)
            throw RawDatabaseError(path: path, sql: nil, code: code, message: String(cString: sqlite3_errstr(code)))
        }
        self.handle = database
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs `sql`, which returns no rows.
    func execute(_ sql: String) throws(RawDatabaseError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql) }
    }

    /// Every row of `sql`, each column as text (nil for NULL).
    func rows(_ sql: String) throws(RawDatabaseError) -> [[String?]] {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else { throw error(prepared, sql) }
        defer { sqlite3_finalize(statement) }
        var rows: [[String?]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw error(code, sql) }
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) }
            })
        }
    }

    /// The first column of the first row of `sql`.
    func scalar(_ sql: String) throws(RawDatabaseError) -> String? {
        try rows(sql).first?.first ?? nil
    }

    private func error(_ code: Int32, _ sql: String) -> RawDatabaseError {
        RawDatabaseError(path: path, sql: sql, code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// An SQLite failure of a ``RawDatabase``: a test's own inspection failed, not Docket.
struct RawDatabaseError: Error, CustomStringConvertible {
    var path: String
    var sql: String?
    var code: Int32
    var message: String

    var description: String {
        "raw SQLite on \(path) failed with code \(code) (\(message))" + (sql.map { " running `\($0)`" } ?? "")
    }
}
