import CSQLite
import DocketCore

/// One SQLite connection and its prepared statements.
///
/// Not Sendable, on purpose: connections are opened in SQLite's multi-thread mode (no per-connection
/// mutex), so each one is opened, used and closed by the one thread that owns it.
final class Connection {
    /// The `sqlite3` handle; nil once closed.
    private var handle: OpaquePointer?
    /// The database file, or nil for a private in-memory database.
    let path: String?
    /// Statements are prepared once per connection and reused, keyed by their SQL text.
    private var statements: [String: Statement] = [:]
    /// The hot statements, by ``StatementSlot/index``; prepared on first use.
    private var slots = [Statement?](repeating: nil, count: StatementSlot.count)
    /// What the WAL hook reports to; kept alive here, as SQLite holds only an unretained pointer to it.
    private var walHookTarget: BackgroundCheckpoints?
    /// The changes to `job_counts` the open write transaction owes; see `JobCountDeltas`.
    var countDeltas = JobCountDeltas()
    /// The fair shares of the claims this connection makes among queues.
    var queueShares = QueueShares()

    /// Opens `path`, or a private in-memory database when `path` is nil.
    ///
    /// - Parameters:
    ///   - readOnly: open without write access, so that nothing this connection does can change the file.
    ///   - create: create the file when missing (the journal creates it itself, to choose its mode).
    init(path: String?, readOnly: Bool = false, create: Bool = false) throws {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create || path == nil { flags |= SQLITE_OPEN_CREATE }
        var database: OpaquePointer?
        let code = sqlite3_open_v2(path ?? ":memory:", &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let error = JournalError(sqliteCode: code, database: database, sql: nil, path: path)
            sqlite3_close_v2(database)
            throw error
        }
        sqlite3_extended_result_codes(database, 1)
        self.handle = database
        self.path = path
    }

    deinit {
        close()
    }

    /// Finalizes the cached statements and closes the database. Idempotent.
    func close() {
        statements.removeAll()
        slots = slots.map { _ in nil }
        guard let handle else { return }
        if walHookTarget != nil {
            sqlite3_wal_hook(handle, nil, nil)
            walHookTarget = nil
        }
        // close_v2 defers the close until any statement still held elsewhere is finalized.
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    /// Runs `sql`, which may hold several statements and returns no rows; nothing is cached.
    func execute(_ sql: String) throws {
        let database = try open()
        let code = sqlite3_exec(database, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql: sql) }
    }

    /// A new statement for `sql`, owned by the caller.
    func prepare(_ sql: String) throws -> Statement {
        try Statement(database: open(), sql: sql, path: path)
    }

    /// The cached statement for `sql`, prepared on first use. Callers reset it when done.
    func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// The statement of `slot`, prepared on first use. Callers reset it when done.
    func statement(_ slot: StatementSlot) throws -> Statement {
        if let cached = slots[slot.index] { return cached }
        let statement = try prepare(slot.sql)
        slots[slot.index] = statement
        return statement
    }

    /// Runs the cached statement `sql` with `values` and decodes each row with `row`.
    func rows<Row>(
        _ sql: String, _ values: [(any SQLBindable)?] = [], row: (Statement) throws -> Row
    ) throws -> [Row] {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var rows: [Row] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// Runs the cached statement `sql` with `values` and decodes its first row, if any.
    func firstRow<Row>(
        _ sql: String, _ values: [(any SQLBindable)?] = [], row: (Statement) throws -> Row
    ) throws -> Row? {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        return try statement.step() ? row(statement) : nil
    }

    /// Runs the cached statement `sql` with `values`, ignoring any rows; returns the rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [(any SQLBindable)?] = []) throws -> Int {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {}
        return changes
    }

    /// The integer a pragma such as `user_version` reads as.
    func pragmaInteger(_ name: String) throws -> Int {
        try firstRow("PRAGMA \(name)") { $0.int(0) } ?? 0
    }

    /// The text a pragma such as `journal_mode` reads as.
    func pragmaText(_ name: String) throws -> String {
        try firstRow("PRAGMA \(name)") { $0.text(0) } ?? ""
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// The rowid of the last inserted row.
    var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Whether SQLite opened the main database read-only: it does so without failing when asked for
    /// read-write on a file it cannot write.
    var isReadOnly: Bool {
        handle.map { sqlite3_db_readonly($0, "main") == 1 } ?? false
    }

    /// Whether a transaction is open; SQLite rolls some failed transactions back on its own.
    var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Reports the WAL's size to `checkpoints` after every commit (the connection must be in WAL mode
    /// with `wal_autocheckpoint = 0`; the hook replaces SQLite's automatic checkpoint), and runs a
    /// passive checkpoint right there when it answers that the writer must.
    func reportCommits(to checkpoints: BackgroundCheckpoints) throws {
        let database = try open()
        walHookTarget = checkpoints
        let context = Unmanaged.passUnretained(checkpoints).toOpaque()
        sqlite3_wal_hook(database, { context, database, _, frames in
            guard let context else { return SQLITE_OK }
            let checkpoints = Unmanaged<BackgroundCheckpoints>.fromOpaque(context).takeUnretainedValue()
            if checkpoints.committed(walFrames: Int(frames)) {
                // Allowed inside the hook (SQLite's own automatic checkpoint runs there); PASSIVE never
                // waits, and a busy checkpoint is simply tried again after the next commit.
                _ = sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return SQLITE_OK
        }, context)
    }

    /// Copies what it can of the WAL into the main file without waiting for any lock; a no-op for an
    /// in-memory database. After a write failed for lack of space: once every frame is copied, the
    /// next write starts the WAL over from its beginning, in the space the file already has, instead
    /// of needing more.
    func checkpointPassively() {
        guard path != nil, let handle else { return }
        _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }

    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`,
    /// trying again on ``BusyWait``'s schedule.
    func setBusyTimeout(_ timeout: Duration) throws {
        let microseconds = max(0, min(BusyWait.longestTimeout, timeout.microseconds))
        // The limit travels as the handler's context pointer itself: the C callback captures nothing.
        let code = sqlite3_busy_handler(try open(), BusyWait.handler, UnsafeMutableRawPointer(bitPattern: Int(microseconds)))
        guard code == SQLITE_OK else { throw error(code, sql: nil) }
    }

    private func open() throws -> OpaquePointer {
        guard let handle else { throw JournalError.closed(path: path) }
        return handle
    }

    private func error(_ code: Int32, sql: String?) -> JournalError {
        JournalError(sqliteCode: code, database: handle, sql: sql, path: path)
    }
}
