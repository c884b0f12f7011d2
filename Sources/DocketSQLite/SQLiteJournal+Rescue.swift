import DocketCore

extension SQLiteJournal {
    /// Crash recovery: moves every job left running by a dead owner (other than `currentOwner`, and
    /// not alive by `isAlive`), or by no owner, back to scheduled at `retryAt(job)` with its attempt still counted, or to discarded when
    /// its attempts are spent, as ``JobLifecycle`` rules for ``JobEvent/rescue(runAt:)``. Each job's
    /// last error says that the attempt was interrupted, and so does the attempt row written for it
    /// (started at the job's `attempted_at`, owned by its lease owner). A job for which `wasStarted`
    /// is false never started its handler: it is released instead, keeping its run-at, with its
    /// attempt given back. One transaction.
    ///
    /// - Returns: each rescued job after the rescue, with the owner it had.
    package func rescueOrphans(
        currentOwner: String, now: Timestamp, isAlive: @escaping @Sendable (String) -> Bool,
        retryAt: @escaping @Sendable (JobRecord) -> Timestamp, wasStarted: @escaping @Sendable (JobRecord) -> Bool
    ) async throws -> [RescuedJob] {
        try await write { connection in
            try Self.rescueOrphans(
                currentOwner: currentOwner, now: now, isAlive: isAlive, retryAt: retryAt, wasStarted: wasStarted,
                on: connection)
        }
    }

    /// `IS NOT` also matches a NULL owner. `state + 0` and the condition are jobs_state's key and condition. `INDEXED BY` because SQLite otherwise scans the whole
    /// table in id order to skip sorting the (few) running jobs, so every start would take time in
    /// proportion to the parked jobs rather than to the running ones.
    static let orphansSQL =
        "SELECT \(JobRecord.columns) FROM jobs INDEXED BY jobs_state WHERE state + 0 = 1 AND \(JournalSchema.stateIndexCondition) "
        + "AND lease_owner IS NOT ?1 ORDER BY id"

    static let rescueSQL = """
        UPDATE jobs SET state = ?2, run_at = ?3, finished_at = ?4, last_error = ?5, updated_at = ?6, \
        lease_owner = NULL, lease_expires_at = NULL WHERE id = ?1 AND state = 1 RETURNING \(JobRecord.columns)
        """

    static func rescueOrphans(
        currentOwner: String, now: Timestamp, isAlive: (String) -> Bool = { _ in false },
        retryAt: (JobRecord) -> Timestamp, wasStarted: (JobRecord) -> Bool = { _ in true }, on connection: Connection
    ) throws -> [RescuedJob] {
        let running = try connection.rows(orphansSQL, [currentOwner]) { try JobRecord(row: $0, payloadsFrom: connection) }
        // Liveness is asked once per owner, inside this write transaction; a live owner's jobs stay
        // running whatever their lease says (see the DocC article on several processes).
        var alive: [String: Bool] = [:]
        let orphans = running.filter { job in
            guard let owner = job.leaseOwner else { return true }
            if let known = alive[owner] { return !known }
            let answer = isAlive(owner)
            alive[owner] = answer
            return !answer
        }
        return try orphans.map { job in
            guard wasStarted(job) else { return try giveBack(job, now: now, on: connection) }
            let runAt = retryAt(job)
            let next = try JobLifecycle.apply(.rescue(runAt: runAt), to: job.snapshot).get()
            let message = interruptionMessage(attempt: job.attempt, owner: job.leaseOwner)
            let values: [(any SQLBindable)?] = [
                job.id, next.state.code, next.state == .scheduled ? runAt : job.runAt,
                next.state.isTerminal ? now : nil, message, now,
            ]
            // The interrupted attempt's row, from the job's attempted_at and lease_owner, before the
            // update clears the owner.
            let ended = JobChange(
                id: job.id, event: .rescue(runAt: runAt), expectedAttempt: job.attempt, error: message)
            guard try recordEndedAttempt(ended, now: now, on: connection) == true else {
                throw JournalError(kind: .other, message: "job \(job.id) stopped running during its rescue")
            }
            let rescued = try connection.firstRow(rescueSQL, values) { try JobRecord(row: $0, payloadsFrom: connection) }
                .unwrap(or: "job \(job.id) stopped running during its rescue")
            connection.countDeltas.record(queue: job.queue, name: job.name, from: .running, to: rescued.state)
            _ = connection.countDeltas.forget(id: job.id)
            return RescuedJob(job: rescued, previousOwner: job.leaseOwner)
        }
    }

    /// Releases a job whose handler never started: scheduled again at its own run-at, its attempt
    /// given back, an attempt row saying so.
    static func giveBack(_ job: JobRecord, now: Timestamp, on connection: Connection) throws -> RescuedJob {
        let message = "given back: the process that claimed attempt \(job.attempt) stopped before its handler started"
        let change = JobChange(id: job.id, event: .release(runAt: job.runAt), expectedAttempt: job.attempt, error: message)
        guard case .success = try apply(change, now: now, on: connection) else {
            throw JournalError(kind: .other, message: "job \(job.id) stopped running during its rescue")
        }
        let released = try connection.firstRow(
            "SELECT \(JobRecord.columns) FROM jobs WHERE id = ?1", [job.id],
            row: { try JobRecord(row: $0, payloadsFrom: connection) })
            .unwrap(or: "job \(job.id) vanished during its rescue")
        return RescuedJob(job: released, previousOwner: job.leaseOwner)
    }

    /// The error an interrupted attempt leaves in the job and in its attempt row.
    static func interruptionMessage(attempt: Int, owner: String?) -> String {
        let who = owner.map { "owner \($0)" } ?? "no owner recorded"
        return "interrupted: the process running attempt \(attempt) stopped before it finished (\(who))"
    }
}
