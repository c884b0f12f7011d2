import DocketCore

extension JobRecord {
    /// The `jobs` columns ``init(row:)`` decodes, in its order. A constant SQL fragment.
    static let columns = """
        id, name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key, lease_owner, \
        lease_expires_at, created_at, updated_at, finished_at, last_error, timeout_us, retry, unique_scope, \
        schedule_name, schedule_fire_at, payload_apart, trace_context
        """

    /// Decodes a row selected (or returned) as ``columns``, reading a payload kept apart from
    /// `connection`.
    init(row: Statement, payloadsFrom connection: Connection) throws {
        let code = row.int(5)
        guard let state = JobState(code: code) else {
            throw JournalError(kind: .notAJournal, message: "job \(row.int64(0)) has unknown state code \(code)")
        }
        self.init(
            id: JobID(row.int64(0)),
            name: row.text(1),
            queue: row.text(2),
            priority: row.int(3),
            payload: row.blob(4),
            state: state,
            runAt: Timestamp(microsecondsSinceEpoch: row.int64(6)),
            attempt: row.int(7),
            maxAttempts: row.int(8),
            uniqueKey: row.optionalText(9),
            // A completed job keeps the owner of its last attempt for its history; the lease itself
            // ended with the attempt.
            leaseOwner: state == .running ? row.optionalText(10) : nil,
            leaseExpiresAt: row.optionalInt64(11).map(Timestamp.init(microsecondsSinceEpoch:)),
            createdAt: Timestamp(microsecondsSinceEpoch: row.int64(12)),
            updatedAt: Timestamp(microsecondsSinceEpoch: row.int64(13)),
            finishedAt: row.optionalInt64(14).map(Timestamp.init(microsecondsSinceEpoch:)),
            lastError: row.optionalText(15),
            timeout: row.optionalInt64(16).map { Duration.microseconds($0) },
            retryOverride: row.optionalText(17)
        )
        uniqueScope = try Self.uniqueScope(row, column: 18)
        origin = Self.origin(row, column: 19)
        if row.int(21) == 1 { payload = try SQLiteJournal.payloadApart(of: id, on: connection) }
        traceContext = row.optionalText(22)
    }

    /// The columns a claim returns, in the order ``init(claimedRow:by:)`` decodes them: what the claim
    /// itself set (state, lease, claim time) is left out, and so is `finished_at`, which no claimable
    /// job has. Fewer columns make the claim's RETURNING cheaper, and the owner is not copied per job.
    static let claimedColumns = """
        id, name, queue, priority, payload, run_at, attempt, max_attempts, unique_key, created_at, last_error, \
        timeout_us, retry, unique_scope, schedule_name, schedule_fire_at, payload_apart, trace_context
        """

    /// Decodes a row that `request`'s claim returned as ``claimedColumns``, reading a payload kept
    /// apart from `connection`; the name and queue are the previous row's own strings when they are
    /// the same (`previous` holds them, row to row).
    init(
        claimedRow row: Statement, by request: ClaimRequest, payloadsFrom connection: Connection,
        previous: inout (name: String, queue: String)?
    ) throws {
        let name = row.text(1, sameAs: previous?.name)
        let queue = row.text(2, sameAs: previous?.queue)
        previous = (name, queue)
        self.init(
            id: JobID(row.int64(0)),
            name: name,
            queue: queue,
            priority: row.int(3),
            payload: row.blob(4),
            state: .running,
            runAt: Timestamp(microsecondsSinceEpoch: row.int64(5)),
            attempt: row.int(6),
            maxAttempts: row.int(7),
            uniqueKey: row.optionalText(8),
            leaseOwner: request.owner,
            leaseExpiresAt: request.leaseExpiresAt,
            createdAt: Timestamp(microsecondsSinceEpoch: row.int64(9)),
            updatedAt: request.now,
            lastError: row.optionalText(10),
            timeout: row.optionalInt64(11).map { Duration.microseconds($0) },
            retryOverride: row.optionalText(12)
        )
        uniqueScope = try Self.uniqueScope(row, column: 13)
        origin = Self.origin(row, column: 14)
        if row.int(16) == 1 { payload = try SQLiteJournal.payloadApart(of: id, on: connection) }
        traceContext = row.optionalText(17)
    }

    /// The schedule stamp in `column` (the name) and the next (the firing), nil for a job scheduled
    /// directly.
    private static func origin(_ row: Statement, column: Int32) -> ScheduleStamp? {
        guard let name = row.optionalText(column) else { return nil }
        return ScheduleStamp(schedule: name, firing: Timestamp(microsecondsSinceEpoch: row.int64(column + 1)))
    }

    /// The unique scope in `column` of a job row whose id is in column 0.
    private static func uniqueScope(_ row: Statement, column: Int32) throws -> UniqueScope {
        let code = row.int(column)
        guard let scope = UniqueScope(code: code) else {
            throw JournalError(kind: .notAJournal, message: "job \(row.int64(0)) has unknown unique scope \(code)")
        }
        return scope
    }

    /// The parts the lifecycle rules read.
    var snapshot: JobSnapshot {
        JobSnapshot(state: state, attempt: attempt, maxAttempts: maxAttempts)
    }
}

extension AttemptRecord {
    /// The `attempts` columns ``init(row:)`` decodes, in its order. A constant SQL fragment.
    static let columns = "job_id, attempt, owner, started_at, finished_at, outcome, error"

    /// The attempt a job row records, selected from `jobs` as ``columns``: the running attempt of a
    /// running job (open), or the completing attempt of a completed one. Jobs finished under schema
    /// version 1 have no `attempted_at`; their whole history is in the attempts table. Constant SQL;
    /// the state codes come from ``JobState/code``.
    static let currentAttemptColumns = """
        id, attempt, coalesce(lease_owner, ''), attempted_at, \
        CASE state WHEN \(JobState.completed.code) THEN finished_at END, \
        CASE state WHEN \(JobState.completed.code) THEN '\(AttemptOutcome.completed.rawValue)' END, NULL
        """

    /// Decodes a row selected as ``columns``.
    init(row: Statement) {
        self.init(
            jobID: JobID(row.int64(0)),
            attempt: row.int(1),
            owner: row.text(2),
            startedAt: Timestamp(microsecondsSinceEpoch: row.int64(3)),
            finishedAt: row.optionalInt64(4).map(Timestamp.init(microsecondsSinceEpoch:)),
            // An outcome this build does not know (written by a newer one) reads as unknown, not as an error.
            outcome: row.optionalText(5).flatMap(AttemptOutcome.init(rawValue:)),
            error: row.optionalText(6)
        )
    }
}
