import DocketCore

extension SQLiteJournal {
    /// Inserts `jobs` in one transaction: all of them or, when any fails, none.
    ///
    /// A job whose unique key another job holds (see ``UniqueScope``) is not inserted; its result
    /// carries the holder's id and `isDuplicate`, and the holder is left as it was.
    ///
    /// - Throws: ``JournalError/Kind/payloadTooLarge(size:limit:)`` before anything is written when any
    ///   payload is over ``JournalConfiguration/maxPayloadBytes``; ``JournalError/Kind/other`` naming the
    ///   job, also before anything is written, when a job's max attempts is negative; or the error that
    ///   stopped the transaction, such as the schema's CHECK on a priority outside
    ///   ``JobDefaults/priorityRange``.
    package func insert(_ jobs: [NewJob], now: Timestamp) async throws -> [InsertResult] {
        if let problem = jobs.lazy.compactMap(Self.invalidity(of:)).first {
            throw JournalError(kind: .other, message: problem + "; nothing was inserted", path: configuration.path)
        }
        let limit = configuration.maxPayloadBytes
        if let oversized = jobs.first(where: { $0.payload.count > limit }) {
            throw JournalError(
                kind: .payloadTooLarge(size: oversized.payload.count, limit: limit),
                message: "job \(oversized.name) has a \(oversized.payload.count)-byte payload",
                path: configuration.path)
        }
        return try await write { connection in
            try jobs.map { try Self.insert($0, now: now, on: connection) }
        }
    }

    /// Why the journal must refuse `job`, or nil: defence in depth for callers of the store other than
    /// the scheduler, which refuses max attempts below 1 itself. A priority outside 0...9 is refused by
    /// the schema's CHECK, inside the transaction. Max attempts 0 is accepted: such a job is never
    /// claimed, which is how tests build a scheduled job whose attempts are spent.
    static func invalidity(of job: NewJob) -> String? {
        guard job.maxAttempts >= 0 else {
            return "job \(job.name.debugDescription) has max attempts \(job.maxAttempts); give it 1 or more"
        }
        return nil
    }

    /// The key conflict is left to the partial unique index: DO NOTHING inserts nothing, and the holder
    /// is then looked up, inside the same transaction so it cannot change in between. No RETURNING:
    /// the rows changed and the last rowid say the same without the temporary table RETURNING fills.
    static let insertSQL = """
        INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key, \
        created_at, updated_at, timeout_us, retry, unique_scope, schedule_name, schedule_fire_at, payload_apart, \
        trace_context) \
        VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
        ON CONFLICT DO NOTHING
        """

    /// Written exactly as the index's condition, so that SQLite can answer from jobs_unique_key_held;
    /// the index admits one row per key, so there is at most one holder.
    static let uniqueKeyHolderSQL = """
        SELECT id FROM jobs WHERE unique_key = ?1 \
        AND (state IN (0, 1) OR (state = 2 AND unique_scope = 1))
        """

    /// A payload over ``inlinePayloadLimit`` goes to `job_payloads` once the job row is in; a
    /// duplicate, which inserts no row, writes no payload either.
    static func insert(_ job: NewJob, now: Timestamp, on connection: Connection) throws -> InsertResult {
        let apart = keepsApart(payloadBytes: job.payload.count)
        let values: [(any SQLBindable)?] = [
            job.name, job.queue, job.priority, apart ? [UInt8]() : job.payload, job.runAt, job.maxAttempts,
            job.uniqueKey, now, job.timeout?.microseconds, job.retryOverride, job.uniqueScope.code,
            job.origin?.schedule, job.origin?.firing, apart ? 1 : 0, job.traceContext,
        ]
        if try connection.run(insertSQL, values) == 1 {
            let id = connection.lastInsertRowID
            if apart { try connection.run(insertPayloadSQL, [id, job.payload]) }
            connection.countDeltas.record(queue: job.queue, name: job.name, from: nil, to: .scheduled)
            return InsertResult(id: JobID(id), isDuplicate: false)
        }
        guard let key = job.uniqueKey,
            let holder = try connection.firstRow(uniqueKeyHolderSQL, [key], row: { $0.int64(0) })
        else {
            throw JournalError(
                kind: .other, message: "the insert of job \(job.name) was skipped but no job holds its key",
                sql: insertSQL, path: connection.path)
        }
        return InsertResult(id: JobID(holder), isDuplicate: true)
    }
}
