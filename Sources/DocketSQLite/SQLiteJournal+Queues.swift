import DocketCore

extension SQLiteJournal {
    /// The index a claim of one queue walks, per priority, in (run-at, id) order. Created by the
    /// first declaration or pause of a queue, never by a migration: see `JournalSchema`.
    static let queueClaimIndexSQL =
        "CREATE INDEX IF NOT EXISTS jobs_queue_claim ON jobs (queue, priority, run_at, id) WHERE state = 0"

    static let queueColumns = "name, declared, max_running, rate_starts, rate_period_us, paused, pause_note, paused_at"

    /// The queues a claim must look at: declared or paused. Empty on a journal that never declared
    /// one, which then claims as if queues were labels.
    static let activeQueuesSQL = "SELECT \(queueColumns) FROM queues WHERE declared = 1 OR paused = 1"

    static let declareQueueSQL = """
        INSERT INTO queues (name, declared, max_running, rate_starts, rate_period_us, created_at, updated_at) \
        VALUES (?1, 1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (name) DO UPDATE SET declared = 1, \
        max_running = excluded.max_running, rate_starts = excluded.rate_starts, \
        rate_period_us = excluded.rate_period_us, updated_at = excluded.updated_at
        """

    /// A queue row as a record, its counts left at zero.
    static func queueRecord(row: Statement) -> QueueRecord {
        var limits: QueueLimits?
        if row.int(1) == 1 {
            let rate = row.optionalInt64(3).flatMap { starts in
                row.optionalInt64(4).map { QueueRate(starts: Int(starts), period: .microseconds($0)) }
            }
            limits = QueueLimits(name: row.text(0), maxRunning: row.optionalInt64(2).map(Int.init) ?? Int.max, rate: rate)
        }
        return QueueRecord(
            name: row.text(0), limits: limits, isPaused: row.int(5) == 1, pauseNote: row.optionalText(6),
            pausedAt: row.optionalInt64(7).map(Timestamp.init(microsecondsSinceEpoch:)), running: 0, scheduled: 0)
    }

    package func declareQueues(_ queues: [QueueLimits], now: Timestamp) async throws {
        try await write { connection in
            if !queues.isEmpty { try connection.execute(Self.queueClaimIndexSQL) }
            try connection.run(
                "UPDATE queues SET declared = 0, max_running = NULL, rate_starts = NULL, rate_period_us = NULL, updated_at = ?2 "
                + "WHERE declared = 1 AND name NOT IN (SELECT value FROM json_each(?1))",
                [queues.map(\.name).jsonArrayText, now])
            for queue in queues { try Self.declare(queue, now: now, on: connection) }
        }
    }

    static func declare(_ queue: QueueLimits, now: Timestamp, on connection: Connection) throws {
        try connection.run(
            declareQueueSQL,
            [queue.name, queue.maxRunning, queue.rate?.starts, queue.rate.map { $0.period.microseconds }, now])
    }

    package func setQueuePaused(
        named name: String, paused: Bool, note: String?, declaration: QueueLimits?, now: Timestamp
    ) async throws -> QueueRecord {
        try await write { connection in
            // The counts below read `job_counts`, which must include what this writer added.
            try connection.flushCountDeltas()
            let byName = "SELECT \(Self.queueColumns) FROM queues WHERE name = ?1"
            var existing = try connection.firstRow(byName, [name], row: Self.queueRecord(row:))
            if existing == nil, let declaration {
                try connection.execute(Self.queueClaimIndexSQL)
                try Self.declare(declaration, now: now, on: connection)
                existing = try connection.firstRow(byName, [name], row: Self.queueRecord(row:))
            }
            if existing == nil, try Self.hasJobs(inQueue: name, on: connection) {
                // A queue used only as a label is known by its jobs: its row starts undeclared.
                try connection.run(
                    "INSERT INTO queues (name, declared, created_at, updated_at) VALUES (?1, 0, ?2, ?2)", [name, now])
                existing = try connection.firstRow(byName, [name], row: Self.queueRecord(row:))
            }
            guard let existing else { throw QueueRefusal.notFound(name) }
            if paused {
                try connection.execute(Self.queueClaimIndexSQL)
                // A pause already set keeps its time; its note is replaced.
                try connection.run(
                    "UPDATE queues SET paused = 1, pause_note = ?2, paused_at = coalesce(paused_at, ?3), updated_at = ?3 "
                    + "WHERE name = ?1 AND paused = ?4",
                    [name, note, now, existing.isPaused ? 1 : 0])
            } else if existing.isPaused {
                try connection.run(
                    "UPDATE queues SET paused = 0, pause_note = NULL, paused_at = NULL, updated_at = ?2 WHERE name = ?1 AND paused = 1",
                    [name, now])
            }
            var record = try connection.firstRow(byName, [name], row: Self.queueRecord(row:))
                .unwrap(or: "queue \(name) vanished")
            let counts = try Self.queueCounts(on: connection)[name]
            record.running = counts?.running ?? 0
            record.scheduled = counts?.scheduled ?? 0
            return record
        }
    }

    package func queues() async throws -> [QueueRecord] {
        try await read { connection in
            let counts = try Self.queueCounts(on: connection)
            var records = try connection.rows("SELECT \(Self.queueColumns) FROM queues ORDER BY name", row: Self.queueRecord(row:))
            let known = Set(records.map(\.name))
            // A queue used only as a label has no row; its jobs make it known.
            let labels = try connection.rows(
                "SELECT queue FROM job_counts GROUP BY queue HAVING sum(count) > 0", row: { $0.text(0) })
            for name in labels where !known.contains(name) {
                records.append(QueueRecord(name: name, limits: nil, isPaused: false, pauseNote: nil, pausedAt: nil, running: 0, scheduled: 0))
            }
            records.sort { $0.name < $1.name }
            for index in records.indices {
                records[index].running = counts[records[index].name]?.running ?? 0
                records[index].scheduled = counts[records[index].name]?.scheduled ?? 0
            }
            return records
        }
    }

    /// Whether the journal holds a job of `queue`, in any state.
    static func hasJobs(inQueue queue: String, on connection: Connection) throws -> Bool {
        try connection.firstRow(
            "SELECT 1 FROM job_counts WHERE queue = ?1 GROUP BY queue HAVING sum(count) > 0", [queue], row: { $0.int(0) }) != nil
    }

    /// Running and scheduled jobs per queue from `job_counts`, as of the transaction's snapshot and
    /// what it has written (flush the count deltas first inside a write).
    static func queueCounts(on connection: Connection) throws -> [String: (running: Int, scheduled: Int)] {
        var counts: [String: (running: Int, scheduled: Int)] = [:]
        let sql = "SELECT queue, state, sum(count) FROM job_counts WHERE state IN (0, 1) GROUP BY queue, state"
        for (queue, state, count) in try connection.rows(sql, row: { ($0.text(0), $0.int(1), $0.int(2)) }) {
            var entry = counts[queue] ?? (0, 0)
            if state == JobState.running.code { entry.running = count } else { entry.scheduled = count }
            counts[queue] = entry
        }
        return counts
    }
}
