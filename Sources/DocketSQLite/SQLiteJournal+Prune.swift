import DocketCore

extension SQLiteJournal {
    /// Which jobs may go: ended in the state `?1` before `?2`, and not the newest job. SQLite gives a
    /// new row the largest id plus one, so deleting the newest job would hand its id to the next one:
    /// ids would no longer only grow (the scheduler's poll cursor relies on it) and an id a caller
    /// kept could name another job. Keeping that one row, whatever its age, keeps ids unique.
    static let prunableCondition = "state = ?1 AND finished_at < ?2 AND id < (SELECT max(id) FROM jobs)"

    /// The ended jobs of one state that may go, oldest end first, from `jobs_finished`.
    static let prunableSQL = "SELECT id, queue, name FROM jobs WHERE \(prunableCondition) ORDER BY finished_at LIMIT ?3"

    /// Whether any job of a state may go: the read that lets an idle pass skip the writer.
    static let anyPrunableSQL = "SELECT 1 FROM jobs WHERE \(prunableCondition) LIMIT 1"

    static let countPrunableSQL = "SELECT count(*) FROM jobs WHERE \(prunableCondition)"

    /// The delete expects the state it was selected in, so it can never take an active job.
    static let deleteJobSQL = "DELETE FROM jobs WHERE id = ?1 AND state = ?2"

    static let deleteAttemptsSQL = "DELETE FROM attempts WHERE job_id = ?1"

    /// The states a prune pass visits, in this order, within one batch's budget.
    static let prunedStates: [JobState] = [.completed, .cancelled, .discarded]

    package func prune(_ request: PruneRequest) async throws -> PruneBatch {
        // A look on the read connection first: a pass with nothing to delete costs no write
        // transaction, so a journal with nothing to prune pays one indexed read per state.
        let anything = try await read { connection in
            try Self.cutoffs(of: request).contains { state, cutoff in
                try connection.firstRow(Self.anyPrunableSQL, [state.code, cutoff]) { _ in true } ?? false
            }
        }
        guard anything else { return PruneBatch() }
        return try await write { connection in try Self.prune(request, on: connection) }
    }

    package func prunable(_ request: PruneRequest) async throws -> [JobState: Int] {
        try await read { connection in
            var counts: [JobState: Int] = [:]
            for (state, cutoff) in Self.cutoffs(of: request) {
                let count = try connection.firstRow(Self.countPrunableSQL, [state.code, cutoff]) { $0.int(0) } ?? 0
                if count > 0 { counts[state] = count }
            }
            return counts
        }
    }

    /// One batch, inside the writer's transaction: the job rows and their attempt rows go together.
    static func prune(_ request: PruneRequest, on connection: Connection) throws -> PruneBatch {
        var batch = PruneBatch()
        var budget = request.batchSize
        for (state, cutoff) in cutoffs(of: request) where budget > 0 {
            let ids = try connection.rows(prunableSQL, [state.code, cutoff, budget]) { ($0.int64(0), $0.text(1), $0.text(2)) }
            var deleted = 0
            for (id, queue, name) in ids {
                // Only once the guarded delete took the job do its attempts and payload go with it.
                guard try connection.run(deleteJobSQL, [id, state.code]) == 1 else { continue }
                _ = try connection.run(deleteAttemptsSQL, [id])
                _ = try connection.run(deletePayloadSQL, [id])
                connection.countDeltas.record(queue: queue, name: name, from: state, to: nil)
                batch.jobs.append(PrunedJob(id: JobID(id), name: name))
                deleted += 1
            }
            if deleted > 0 { batch.deleted[state] = deleted }
            budget -= ids.count
        }
        batch.isFull = budget <= 0
        if batch.total > 0, request.vacuumPages > 0 {
            // A no-op unless the journal was created with auto_vacuum = INCREMENTAL. Bounded, so the
            // batch's transaction stays short; what is left free is reused by later jobs or handed
            // back after a later batch.
            try connection.execute("PRAGMA incremental_vacuum(\(request.vacuumPages))")
        }
        return batch
    }

    /// The request's cutoffs in ``prunedStates`` order.
    private static func cutoffs(of request: PruneRequest) -> [(JobState, Timestamp)] {
        prunedStates.compactMap { state in request.cutoffs[state].map { (state, $0) } }
    }

    /// `PRAGMA auto_vacuum` (0 none, 1 full, 2 incremental) and the free pages. For tests.
    func vacuumState() async throws -> (autoVacuum: Int, freePages: Int) {
        try await writer.submit(writes: false) { connection in
            (try connection.pragmaInteger("auto_vacuum"), try connection.pragmaInteger("freelist_count"))
        }
    }
}
