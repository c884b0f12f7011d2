import DocketCore

/// The journal's tables, and the steps that bring an older journal up to date.
///
/// Never edit a released step: journals on disk were built by it. Change the schema by appending a
/// step; its position in ``migrations`` (from 1) is the `user_version` it leaves behind.
enum JournalSchema {
    /// `PRAGMA application_id` of every Docket journal: "DKT1" in ASCII. It tells a Docket journal
    /// from another application's SQLite file before anything is written.
    static let applicationID: Int32 = 0x444B_5431

    /// The schema version this build writes and reads.
    static var currentVersion: Int { migrations.count }

    /// One migration step per schema version, oldest first; each runs in its own transaction.
    static let migrations: [[String]] = [
        version1, version2, version3, version4, version5, version6, versionPayloads, versionCounts, versionTrace,
        versionStateIndex, versionQueues,
    ]

    /// Times are microseconds since the Unix epoch; `state` is `JobState.code`.
    private static let version1 = [
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 9),
            payload BLOB NOT NULL,
            state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 4),
            run_at INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            max_attempts INTEGER NOT NULL,
            unique_key TEXT,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            finished_at INTEGER,
            last_error TEXT,
            timeout_us INTEGER,
            retry TEXT
        )
        """,
        // Claim walks this per priority, in (run_at, id) order, and stops at the first row not yet due.
        "CREATE INDEX jobs_claim ON jobs (priority, run_at, id) WHERE state = 0",
        // The timer index pages through scheduled jobs by due time.
        "CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 0",
        // A key is held only while its job is scheduled or running; finishing a job frees it.
        "CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key) WHERE unique_key IS NOT NULL AND state IN (0, 1)",
        // Crash recovery finds running jobs by owner without scanning finished ones.
        "CREATE INDEX jobs_running ON jobs (lease_owner) WHERE state = 1",
        """
        CREATE TABLE attempts (
            seq INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            owner TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            outcome TEXT,
            error TEXT
        )
        """,
        "CREATE INDEX attempts_job ON attempts (job_id, attempt)",
    ]

    /// Cheaper job lives. From version 2 a claim opens no attempt row: it stamps `jobs.attempted_at`
    /// (the start of the current attempt; `lease_owner` says who runs it), and an attempt that ends
    /// without completing the job is written to `attempts` as one closed row. A completed job keeps
    /// `attempted_at` and `lease_owner`: its row is the record of its last attempt. The timer index
    /// reads jobs_claim per priority, so jobs_due goes: one index less to update on every change.
    ///
    /// A running job's open attempt row becomes its `attempted_at`, and is deleted (a version 1
    /// journal has open rows only for running jobs). Rows of finished attempts stay as they are, so
    /// a job completed under version 1 keeps its `completed` row and has no `attempted_at`.
    private static let version2 = [
        "ALTER TABLE jobs ADD COLUMN attempted_at INTEGER",
        """
        UPDATE jobs SET attempted_at = coalesce(
            (SELECT max(started_at) FROM attempts WHERE job_id = jobs.id AND finished_at IS NULL), updated_at)
        WHERE state = 1
        """,
        "DELETE FROM attempts WHERE finished_at IS NULL",
        "DROP INDEX jobs_due",
    ]

    /// Unique scopes. `unique_scope` is `UniqueScope.code`: 0 holds the key while the job is
    /// scheduled or running, 1 also once it completed. The unique index is rebuilt over exactly the
    /// rows that hold a key, so two holders of one key cannot both exist whichever transaction writes
    /// them. A row only ever leaves the index (active to discarded, cancelled, or completed under
    /// scope 0) and never enters it by an update, so no state change can collide; only inserts can.
    ///
    /// Existing jobs get scope 0, which is what they had: the new index holds the same rows as the old.
    private static let version3 = [
        "ALTER TABLE jobs ADD COLUMN unique_scope INTEGER NOT NULL DEFAULT 0 CHECK (unique_scope IN (0, 1))",
        "DROP INDEX jobs_unique_key",
        """
        CREATE UNIQUE INDEX jobs_unique_key_held ON jobs (unique_key) \
        WHERE unique_key IS NOT NULL AND (state IN (0, 1) OR (state = 2 AND unique_scope = 1))
        """,
    ]

    /// Running jobs indexed by id rather than by owner. Every claim adds its jobs to this index and
    /// every end removes them; an integer key that grows with the id costs less to keep than the
    /// owner's text, and crash recovery, which reads every running job, finds them in id order.
    private static let version4 = [
        "DROP INDEX jobs_running",
        "CREATE INDEX jobs_running ON jobs (state) WHERE state = 1",
    ]

    /// Recurring schedules. A job a schedule created names it and its firing (`schedule_name`,
    /// `schedule_fire_at`); the partial index finds a schedule's jobs without costing other jobs
    /// anything. `next_fire_at` is the cursor: a firing inserts its jobs and moves the cursor in one
    /// transaction whose update expects the cursor it read, so a firing happens once. Times are
    /// microseconds; `origin` is `ScheduleOrigin`, `rule_kind` `RecurrenceSpec.Kind`, `overlap`
    /// `OverlapPolicy.code`; `catch_up` is 0 none, 1 latest, 2 all (with `catch_up_limit`).
    private static let version5 = [
        "ALTER TABLE jobs ADD COLUMN schedule_name TEXT",
        "ALTER TABLE jobs ADD COLUMN schedule_fire_at INTEGER",
        "CREATE INDEX jobs_schedule ON jobs (schedule_name, schedule_fire_at) WHERE schedule_name IS NOT NULL",
        """
        CREATE TABLE schedules (
            name TEXT PRIMARY KEY,
            origin INTEGER NOT NULL CHECK (origin IN (0, 1)),
            rule_kind INTEGER NOT NULL CHECK (rule_kind IN (0, 1)),
            rule TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            anchor INTEGER NOT NULL,
            job_name TEXT NOT NULL,
            payload BLOB NOT NULL,
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 9),
            max_attempts INTEGER,
            timeout_us INTEGER,
            retry TEXT,
            overlap INTEGER NOT NULL CHECK (overlap IN (0, 1, 2)),
            catch_up INTEGER NOT NULL CHECK (catch_up IN (0, 1, 2)),
            catch_up_limit INTEGER NOT NULL,
            catch_up_window_us INTEGER,
            paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
            pause_note TEXT,
            removed_at INTEGER,
            next_fire_at INTEGER,
            held_fire_at INTEGER,
            last_fire_at INTEGER,
            last_job_id INTEGER,
            fired INTEGER NOT NULL DEFAULT 0,
            missed INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        )
        """,
        // The firing pass walks active schedules by cursor and stops at the first not yet due.
        """
        CREATE INDEX schedules_due ON schedules (next_fire_at) \
        WHERE paused = 0 AND removed_at IS NULL AND next_fire_at IS NOT NULL
        """,
        // Held firings are looked at on every pass: few rows, found without a scan.
        "CREATE INDEX schedules_held ON schedules (name) WHERE held_fire_at IS NOT NULL AND paused = 0 AND removed_at IS NULL",
    ]

    /// Retention. Pruning deletes ended jobs whose `finished_at` is older than their state's cutoff;
    /// this index finds them per state in `finished_at` order without reading the jobs that are
    /// scheduled or running (which have no `finished_at`), so a pass costs the rows it deletes.
    private static let version6 = [
        "CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE finished_at IS NOT NULL",
    ]

    /// Payloads apart from the rows that change. SQLite rewrites a row's overflow pages whenever an
    /// update changes the row's size, and every state change does (a lease, a finish time), so a job
    /// with a payload of a few pages wrote it again at its claim and at its end: bytes the WAL must
    /// hold, and pages a full disk must find. A payload over ``SQLiteJournal/inlinePayloadLimit`` is
    /// written once to `job_payloads`, keyed by its job's id, and the job row keeps an empty blob and
    /// `payload_apart = 1`; a smaller one shares its row's page, which the change writes anyway.
    ///
    /// Existing rows keep their payloads where they are (`payload_apart` reads 0 for them): moving
    /// them would rewrite every large payload at the first open, which a journal on a nearly full
    /// disk may not have room for.
    private static let versionPayloads = [
        "ALTER TABLE jobs ADD COLUMN payload_apart INTEGER NOT NULL DEFAULT 0 CHECK (payload_apart IN (0, 1))",
        "CREATE TABLE job_payloads (job_id INTEGER PRIMARY KEY, payload BLOB NOT NULL)",
    ]

    /// Counts and listing. `job_counts` holds how many jobs each (queue, name, state) has, so that
    /// counting reads a few rows instead of every job, in any process. The journal's write paths
    /// keep it, in the transaction that changes the jobs: each adds up what its statements changed
    /// and writes the sums before the commit (see `JobCountDeltas`), which costs a drain a statement
    /// or two per commit where triggers would cost two per job. A row whose jobs are gone stays at
    /// zero. The step fills the table from the existing jobs.
    ///
    /// `jobs_state` lists the jobs of each state but completed in id order: a page of a listing is a
    /// range of it. Completed jobs, usually most of a journal, are listed in id order from the table
    /// itself, and leaving them out spares every completion an index entry. It serves what
    /// `jobs_running` served (the running jobs in id order), so that index goes. It is keyed on
    /// `state + 0`, not `state`: only statements written against that expression can use it, so the
    /// planner never takes it for the claim or the timer walk (`state = 0`), which must read
    /// jobs_claim in order; on an index of `state` it would read every scheduled job and sort them.
    private static let versionCounts = [
        """
        CREATE TABLE job_counts (
            queue TEXT NOT NULL,
            name TEXT NOT NULL,
            state INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (queue, name, state)
        ) WITHOUT ROWID
        """,
        countAllJobsSQL,
        "DROP INDEX jobs_running",
        "CREATE INDEX jobs_state ON jobs (state + 0) WHERE state <> 2",
    ]

    /// Fills an empty `job_counts` from the jobs, in one scan. The migration runs it, and so does a
    /// rebuild of the counts. Part of a released step once released: never change it.
    static let countAllJobsSQL =
        "INSERT INTO job_counts (queue, name, state, count) SELECT queue, name, state, count(*) FROM jobs GROUP BY queue, name, state"

    /// Trace context. A job scheduled inside a trace keeps that trace's propagation headers (W3C
    /// `traceparent` and `tracestate` for a W3C tracer), one `key=value` per line, so that its
    /// attempts link to the trace whichever process runs them, and after a restart.
    private static let versionTrace = [
        "ALTER TABLE jobs ADD COLUMN trace_context TEXT",
    ]

    /// Scheduled jobs leave `jobs_state`. jobs_claim holds them already, for the claim and the timer
    /// walk, and a second entry cost every job an index write at its insert and two at its claim
    /// (the key moving from 0 to 1), about a twelfth of a drain's SQL. Scheduled jobs are listed by
    /// the rowid from the cursor instead, as completed ones are: the scheduler's poll reads only the
    /// newest ids, and a listing's page is bounded by how many rows it may examine.
    ///
    /// The condition is two inequalities, not `state IN (1, 3, 4)`: SQLite evaluates an IN list of
    /// three or more constants through a temporary table that it builds at every statement that must
    /// check the condition, which more than doubled the cost of a drain.
    private static let versionStateIndex = [
        "DROP INDEX jobs_state",
        "CREATE INDEX jobs_state ON jobs (state + 0) WHERE \(stateIndexCondition)",
    ]

    /// The condition of `jobs_state`, which a statement that reads through it repeats (with its key,
    /// `state + 0`): SQLite uses a partial index only for a WHERE that contains its condition. Part of
    /// a released step once released: never change it.
    static let stateIndexCondition = "state <> 0 AND state <> 2"

    /// Queues. `queues` holds each queue a declaration named (`declared = 1` while the latest
    /// declaration names it, with its limits: `max_running`, and `rate_starts` per `rate_period_us`
    /// when rate limited) and its pause, which only pause and resume change. `queue_starts` keeps
    /// the starts of rate-limited queues, as many jobs per claim instant, for as long as their
    /// window lasts: the rate window is read from it, so it holds across restarts.
    ///
    /// The index that claims one queue's jobs in order (`jobs_queue_claim`) is not part of the step:
    /// a journal whose queues were never declared would pay for it on every insert and claim. The
    /// first declaration of a queue creates it (see `SQLiteJournal.queueClaimIndexSQL`).
    private static let versionQueues = [
        """
        CREATE TABLE queues (
            name TEXT PRIMARY KEY,
            declared INTEGER NOT NULL DEFAULT 0 CHECK (declared IN (0, 1)),
            max_running INTEGER CHECK (max_running >= 1),
            rate_starts INTEGER CHECK (rate_starts >= 1),
            rate_period_us INTEGER CHECK (rate_period_us >= 1),
            paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
            pause_note TEXT,
            paused_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE queue_starts (
            queue TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (queue, started_at)
        ) WITHOUT ROWID
        """,
    ]
}

extension JobState {
    /// Whether `jobs_state` holds the jobs of this state (``JournalSchema/stateIndexCondition``):
    /// running, discarded and cancelled jobs; scheduled and completed ones are walked by the rowid.
    var isInStateIndex: Bool {
        switch self {
        case .running, .discarded, .cancelled: true
        case .scheduled, .completed: false
        }
    }
}
