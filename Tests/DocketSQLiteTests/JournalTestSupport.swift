import DocketCore
import Foundation

@testable import DocketSQLite

/// A fixed "now": tests never read the clock.
let t0 = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)

/// `seconds` after ``t0``.
func at(_ seconds: Int64) -> Timestamp {
    t0 + .seconds(seconds)
}

/// A job to insert, due at ``t0`` unless told otherwise.
func newJob(
    _ name: String = "email", priority: Int = 0, runAt: Timestamp = t0, maxAttempts: Int = 3,
    key: String? = nil, payload: [UInt8] = [1, 2, 3]
) -> NewJob {
    NewJob(name: name, priority: priority, payload: payload, runAt: runAt, maxAttempts: maxAttempts, uniqueKey: key)
}

/// A private in-memory journal.
func memoryJournal(maxPayloadBytes: Int = JobDefaults.maxPayloadBytes) throws -> SQLiteJournal {
    try SQLiteJournal(configuration: JournalConfiguration(location: .inMemory, maxPayloadBytes: maxPayloadBytes))
}

/// Runs `body` with the path of a new, empty directory under the temporary directory, then removes it.
func withTemporaryDirectory<Value>(_ body: (String) async throws -> Value) async throws -> Value {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("docket-journal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}

/// The bytes of the file at `path`, or nil when it does not exist.
func fileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

extension SQLiteJournal {
    /// Opens the journal file at `path`.
    convenience init(path: String, durability: Durability = .full, busyTimeout: Duration = .seconds(5)) throws {
        try self.init(
            configuration: JournalConfiguration(
                location: .file(path: path), durability: durability, busyTimeout: busyTimeout))
    }

    /// Claims up to `limit` jobs due at `now` for `owner`.
    func claim(
        owner: String = "A", now: Timestamp = t0, limit: Int = 100, names: [String]? = nil
    ) async throws -> [JobRecord] {
        try await claim(
            ClaimRequest(
                dueBy: now, limit: limit, owner: owner, leaseExpiresAt: now + .seconds(60), names: names, now: now))
    }

    /// Applies one change and returns its result without throwing the refusal.
    func result(of change: JobChange, now: Timestamp = at(10)) async throws -> Result<JobState, TransitionRefusal> {
        try await apply([change], now: now)[0]
    }

    /// Rows in the attempts table, all jobs together.
    func attemptRowCount() async throws -> Int {
        try await read { try $0.firstRow("SELECT count(*) FROM attempts") { $0.int(0) } ?? 0 }
    }

    /// Inserts one job and returns its id.
    func insertID(_ job: NewJob, now: Timestamp = t0) async throws -> JobID {
        try await insert(job, now: now).id
    }
}

/// The kind of the `JournalError` that `body` throws, or nil when it throws nothing or something else.
func journalErrorKind(_ body: () async throws -> Void) async -> JournalError.Kind? {
    do {
        try await body()
        return nil
    } catch let error as JournalError {
        return error.kind
    } catch {
        return nil
    }
}

/// Builds a version-6 journal at `path` (the schema of the first six steps, as Docket wrote it then)
/// and fills it with `fill`, in one transaction on a connection of its own.
func makeVersion6Journal(_ path: String, fill: (Connection) throws -> Void) throws {
    try makeJournal(path, version: 6, fill: fill)
}

/// Builds a journal of schema `version` at `path` (the schema of the first `version` steps, as Docket
/// wrote it then) and fills it with `fill`, in one transaction on a connection of its own.
func makeJournal(_ path: String, version: Int, fill: (Connection) throws -> Void) throws {
    let connection = try Connection(path: path, create: true)
    defer { connection.close() }
    try connection.execute("PRAGMA journal_mode = WAL")
    try connection.execute("BEGIN IMMEDIATE")
    for statement in JournalSchema.migrations[0..<version].joined() { try connection.execute(statement) }
    try connection.execute("PRAGMA application_id = \(JournalSchema.applicationID)")
    try connection.execute("PRAGMA user_version = \(version)")
    try fill(connection)
    try connection.execute("COMMIT")
}
