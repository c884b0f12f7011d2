/// The statements Docket's journal runs for one job's life, copied verbatim so that the baseline
/// executes exactly the same SQL. They are internal to DocketSQLite, hence copies: keep them in step
/// with the files named on each.
///
/// Every value is bound as a parameter; nothing here is built from data.
enum BaselineSQL {
    /// `SQLiteJournal.insertSQL` (SQLiteJournal+Insert.swift).
    static let insert = """
        INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key, \
        created_at, updated_at, timeout_us, retry, unique_scope, schedule_name, schedule_fire_at) \
        VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13) \
        ON CONFLICT DO NOTHING
        """

    /// `JobRecord.claimedColumns` (JobRecord+Row.swift): what a claim returns.
    static let jobColumns = """
        id, name, queue, priority, payload, run_at, attempt, max_attempts, unique_key, created_at, last_error, \
        timeout_us, retry, unique_scope, schedule_name, schedule_fire_at
        """

    /// `SQLiteJournal.claimSQL(filteringNames: true)` (SQLiteJournal+Claim.swift), as the scheduler runs
    /// it: it always passes the names it has handlers for. Column 0 is the id, column 6 the attempt.
    /// It stamps the attempt's start (`attempted_at`); no attempt row is written.
    static let claim = """
        UPDATE jobs SET state = 1, attempt = attempt + 1, lease_owner = ?1, lease_expires_at = ?2, updated_at = ?3, \
        attempted_at = ?3 WHERE id IN (SELECT id FROM jobs WHERE state = 0 \
        AND priority IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9) \
        AND run_at <= ?4 AND attempt < max_attempts AND name IN (SELECT value FROM json_each(?6)) ORDER BY priority, run_at, id LIMIT ?5) \
        RETURNING \(jobColumns)
        """

    /// `SQLiteJournal.updateSQL(for: .complete)` (SQLiteJournal+Transitions.swift): running (1) to
    /// completed (2), guarded by the expected attempt. The job row keeps its owner and `attempted_at` as
    /// the record of the completing attempt; nothing is written to `attempts`. No RETURNING: the rows
    /// changed say whether it applied.
    static let complete = """
        UPDATE jobs SET state = 2, finished_at = ?3, lease_expires_at = NULL, updated_at = ?3 \
        WHERE id = ?1 AND state = 1 AND (?2 IS NULL OR attempt = ?2)
        """

    /// The transaction statements of the journal's writer (ConnectionThread+Transactions.swift).
    static let begin = "BEGIN IMMEDIATE"
    static let commit = "COMMIT"

    /// The writer's pragmas (SQLiteJournal+Open.swift): WAL, and `synchronous` from the durability.
    static let walMode = "PRAGMA journal_mode = WAL"
    static let synchronousFull = "PRAGMA synchronous = FULL"
    static let synchronousNormal = "PRAGMA synchronous = NORMAL"

    /// For checking the baseline's result afterwards; not part of a job's life.
    static let countCompleted = "SELECT count(*) FROM jobs WHERE state = 2"
}
