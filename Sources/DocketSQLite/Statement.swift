import CSQLite
import DocketCore

/// A Swift value a ``Statement`` can bind to a parameter.
protocol SQLBindable {
    /// Binds `self` to parameter `index` (1-based) of `statement`; returns SQLite's result code.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

extension Int64: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self)
    }
}

extension Int: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension String: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        // Binding by byte count keeps embedded NULs; a NULL pointer would bind SQL NULL, so the empty
        // string binds through a literal.
        var text = self
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(statement, index, "", 0, docket_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, Int32(bytes.count), docket_sqlite_transient())
            }
        }
    }
}

extension Array: SQLBindable where Element == UInt8 {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        // A NULL pointer would bind SQL NULL; an empty payload must stay an empty blob.
        guard !isEmpty else { return sqlite3_bind_zeroblob(statement, index, 0) }
        return withUnsafeBytes { bytes in
            sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), docket_sqlite_transient())
        }
    }
}

extension Timestamp: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, microsecondsSinceEpoch)
    }
}

extension JobID: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, rawValue)
    }
}

/// A prepared statement.
///
/// Not Sendable: it belongs to its ``Connection`` and so to that connection's thread. Connections
/// cache their statements, so callers ``reset()`` after use instead of finalizing.
final class Statement {
    /// The `sqlite3_stmt` handle; finalized in `deinit`.
    private let handle: OpaquePointer
    /// The SQL text, for error messages.
    let sql: String
    /// The journal's path, for error messages.
    private let path: String?

    /// Prepares `sql` on `database`.
    init(database: OpaquePointer, sql: String, path: String?) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw JournalError(sqliteCode: code, database: database, sql: sql, path: path)
        }
        self.handle = statement
        self.sql = sql
        self.path = path
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The highest parameter number the SQL names (`?5` makes 5).
    var parameterCount: Int {
        Int(sqlite3_bind_parameter_count(handle))
    }

    /// Binds `values` to parameters 1, 2, …; nil binds SQL NULL.
    func bind(_ values: [(any SQLBindable)?]) throws {
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            let code = value.map { $0.bind(to: handle, at: position) } ?? sqlite3_bind_null(handle, position)
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    /// Binds `value` to parameter `index` (1-based); nil binds SQL NULL. Generic, so that the hot
    /// statements bind without boxing each value in an existential array.
    func bind<Value: SQLBindable>(_ value: Value?, at index: Int32) throws {
        let code = value.map { $0.bind(to: handle, at: index) } ?? sqlite3_bind_null(handle, index)
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Advances to the next row: true when a row is available, false when the statement is done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(code)
        }
    }

    /// Rewinds the statement and clears its bindings, ending any read it holds open.
    func reset() {
        // reset repeats the last step's error, which step already threw.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Whether column `index` (0-based) of the current row is NULL.
    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// Column `index` of the current row as an integer (0 for NULL).
    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` of the current row as an integer (0 for NULL).
    func int(_ index: Int32) -> Int {
        Int(sqlite3_column_int64(handle, index))
    }

    /// Column `index` of the current row as an integer, or nil for NULL.
    func optionalInt64(_ index: Int32) -> Int64? {
        isNull(index) ? nil : int64(index)
    }

    /// Column `index` of the current row as text ("" for NULL).
    func text(_ index: Int32) -> String {
        guard let base = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row as text, or `previous` itself when it holds the same bytes:
    /// the rows of one claim mostly share a name and a queue, and sharing a string costs a retain where
    /// a new one costs a UTF-8 check and, past 15 bytes, an allocation.
    func text(_ index: Int32, sameAs previous: String?) -> String {
        guard let base = sqlite3_column_text(handle, index) else { return "" }
        let bytes = UnsafeBufferPointer(start: base, count: Int(sqlite3_column_bytes(handle, index)))
        if let previous, previous.utf8.count == bytes.count,
            previous.utf8.withContiguousStorageIfAvailable({ $0.elementsEqual(bytes) }) == true
        {
            return previous
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Column `index` of the current row as text, or nil for NULL.
    func optionalText(_ index: Int32) -> String? {
        isNull(index) ? nil : text(index)
    }

    /// Column `index` of the current row as bytes (empty for NULL).
    func blob(_ index: Int32) -> [UInt8] {
        guard let base = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    private func error(_ code: Int32) -> JournalError {
        JournalError(sqliteCode: code, database: sqlite3_db_handle(handle), sql: sql, path: path)
    }
}
