import CSQLite
import Docket
import Foundation

/// A plain SQLite connection through the C API, for the baseline rows and read-only checks.
///
/// Not Sendable: like Docket's own connections it is opened without a mutex (multi-thread mode), so
/// one thread opens, uses and closes it; ``onOwnThread(_:)`` gives the baseline that thread.
final class RawSQLite {
    let handle: OpaquePointer
    let path: String

    /// Opens with the flags Docket's journal uses: no mutex, extended result codes.
    init(path: String, readOnly: Bool = false) throws {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        var database: OpaquePointer?
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(code)"
            sqlite3_close_v2(database)
            throw WorkloadError("cannot open \(path): \(message)")
        }
        sqlite3_extended_result_codes(database, 1)
        self.handle = database
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Opens the journal's writer connection the way Docket does: busy timeout, WAL, `synchronous`.
    static func writer(path: String, durability: Durability, busyTimeout: Duration) throws -> RawSQLite {
        let connection = try RawSQLite(path: path)
        sqlite3_busy_timeout(connection.handle, Int32(busyTimeout.milliseconds))
        try connection.execute(BaselineSQL.walMode)
        try connection.execute(durability == .full ? BaselineSQL.synchronousFull : BaselineSQL.synchronousNormal)
        return connection
    }

    /// Runs constant SQL that binds nothing.
    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(code, sql) }
    }

    func prepare(_ sql: String) throws -> RawStatement {
        var statement: OpaquePointer?
        // PERSISTENT, as Docket prepares its statements: they are kept and reused.
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, sql) }
        return RawStatement(handle: statement, connection: self, sql: sql)
    }

    func failure(_ code: Int32, _ sql: String) -> WorkloadError {
        WorkloadError("SQLite error \(code) (\(String(cString: sqlite3_errmsg(handle)))) in: \(sql)")
    }

    /// Completed jobs in the journal at `path`, read on a read-only connection so that nothing, not
    /// even a checkpoint, changes the file.
    static func completedJobs(path: String) throws -> Int {
        let connection = try RawSQLite(path: path, readOnly: true)
        let statement = try connection.prepare(BaselineSQL.countCompleted)
        guard try statement.step() else { return 0 }
        return Int(statement.int64(0))
    }

    /// Runs `body` on a thread of its own and returns its result, as Docket runs SQLite off the
    /// cooperative pool: blocking calls never hold a pool thread.
    static func onOwnThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}

/// A prepared statement of a ``RawSQLite`` connection; used, reset and reused.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: RawSQLite
    private let sql: String

    fileprivate init(handle: OpaquePointer, connection: RawSQLite, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: String) throws {
        // Copied by SQLite (SQLITE_TRANSIENT), as Docket binds text.
        try check(sqlite3_bind_text(handle, index, value, -1, docket_sqlite_transient()))
    }

    func bind(_ index: Int32, _ value: [UInt8]) throws {
        try check(value.withUnsafeBytes { bytes in
            sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), docket_sqlite_transient())
        })
    }

    func bindNull(_ index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// True when a row is available, false when the statement is done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure(code, sql)
        }
    }

    /// Steps through every row, for statements run for their effect.
    func run() throws {
        while try step() {}
        reset()
    }

    /// Rewinds and clears the bindings, as Docket's `Statement.reset()` does after each use.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Rows changed by the connection's last INSERT, UPDATE or DELETE, as the journal reads them.
    var changes: Int64 {
        sqlite3_changes64(connection.handle)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw connection.failure(code, sql) }
    }
}
