import DocketCore

extension SQLiteJournal {
    /// Claims up to `request.limit` due jobs in (priority, run-at, id) order with one statement.
    ///
    /// Each claimed job becomes running, counts an attempt, gets `request.owner`'s lease and records
    /// `request.now` as the start of the attempt (`attempted_at`); no attempt row is written until the
    /// attempt ends without completing the job. A job whose attempts are spent is never claimed, as
    /// ``JobLifecycle`` rules.
    ///
    /// - Returns: the claimed jobs after the claim, in (priority, run-at, id) order.
    package func claim(_ request: ClaimRequest) async throws -> [JobRecord] {
        try await write { connection in
            try Self.claim(request, on: connection).jobs
        }
    }

    /// `priority IN (0, …, 9)` turns one range scan that must sort into ten ordered walks of
    /// jobs_claim, one per priority, each stopping at its first job not yet due: no sort, and far-future
    /// jobs are never visited. The list is a constant fragment; the CHECK on `priority` keeps every
    /// row inside it.
    ///
    /// `inQueue`: only jobs of the queue bound to ?7, walked through jobs_queue_claim. Each variant is
    /// built once.
    static let claimSQLFilteringNames = claimSQL(filteringNames: true)
    static let claimSQLAllNames = claimSQL(filteringNames: false)
    static let queueClaimSQLFilteringNames = claimSQL(filteringNames: true, inQueue: true)
    static let queueClaimSQLAllNames = claimSQL(filteringNames: false, inQueue: true)

    static func claimSQL(filteringNames: Bool, inQueue: Bool = false) -> String {
        let priorities = JobDefaults.priorityRange.map(String.init).joined(separator: ", ")
        let names = filteringNames ? " AND name IN (SELECT value FROM json_each(?6))" : ""
        let queue = inQueue ? " AND queue = ?7" : ""
        return """
            UPDATE jobs SET state = 1, attempt = attempt + 1, lease_owner = ?1, lease_expires_at = ?2, updated_at = ?3, \
            attempted_at = ?3 WHERE id IN (SELECT id FROM jobs WHERE state = 0\(queue) AND priority IN (\(priorities)) \
            AND run_at <= ?4 AND attempt < max_attempts\(names) ORDER BY priority, run_at, id LIMIT ?5) \
            RETURNING \(JobRecord.claimedColumns)
            """
    }

    /// Claims per `request`, honouring the queues' limits and pauses as the journal holds them in
    /// this transaction; returns the jobs and what the limits held back.
    static func claim(_ request: ClaimRequest, on connection: Connection) throws -> (jobs: [JobRecord], hold: ClaimHold?) {
        guard request.limit > 0 else { return ([], nil) }
        let queues = try connection.rows(activeQueuesSQL, row: queueRecord(row:))
        guard queues.isEmpty else { return try claimByQueue(request, queues: queues, on: connection) }
        return (try claim(request, limit: request.limit, queue: nil, on: connection), nil)
    }

    /// One claim statement: up to `limit` jobs, of `queue` when given, in (priority, run-at, id) order.
    static func claim(_ request: ClaimRequest, limit: Int, queue: String?, on connection: Connection) throws -> [JobRecord] {
        var values: [(any SQLBindable)?] = [
            request.owner, request.leaseExpiresAt, request.now, request.dueBy, limit,
        ]
        if request.names != nil || queue != nil { values.append(request.names?.jsonArrayText) }
        let sql: String
        if let queue {
            values.append(queue)
            sql = request.names != nil ? queueClaimSQLFilteringNames : queueClaimSQLAllNames
        } else {
            sql = request.names != nil ? claimSQLFilteringNames : claimSQLAllNames
        }
        var previous: (name: String, queue: String)?
        let claimed = try connection.rows(sql, values) { row in
            try JobRecord(claimedRow: row, by: request, payloadsFrom: connection, previous: &previous)
        }
        for job in claimed {
            connection.countDeltas.record(queue: job.queue, name: job.name, from: .scheduled, to: .running)
            connection.countDeltas.remember(id: job.id, queue: job.queue, name: job.name)
        }
        // RETURNING yields rows in no promised order; they usually come in claim order already, and
        // then no sorted copy is made.
        let inClaimOrder = { (a: JobRecord, b: JobRecord) in (a.priority, a.runAt, a.id) < (b.priority, b.runAt, b.id) }
        // By index: pairs of records would be copies.
        if claimed.indices.dropFirst().allSatisfy({ inClaimOrder(claimed[$0 - 1], claimed[$0]) }) { return claimed }
        return claimed.sorted(by: inClaimOrder)
    }

    /// The query plan of the claim statement, one line per step. For tests.
    func claimQueryPlan(filteringNames: Bool) async throws -> [String] {
        try await queryPlan(of: Self.claimSQL(filteringNames: filteringNames))
    }

    /// The query plan of `sql`, one line per step. For tests.
    func queryPlan(of sql: String) async throws -> [String] {
        try await writer.submit(writes: false) { connection in
            try connection.rows("EXPLAIN QUERY PLAN " + sql) { $0.text(3) }
        }
    }
}
