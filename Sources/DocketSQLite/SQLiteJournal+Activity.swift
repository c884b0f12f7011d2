import DocketCore

extension SQLiteJournal {
    /// What happened since `cursor`, read in one read transaction: new jobs by id, ended attempts
    /// by attempt row, ended jobs per state by `jobs_finished`, started jobs from `jobs_running`.
    package func activity(after cursor: ActivityCursor?, limit: Int) async throws -> ([ActivityEntry], ActivityCursor) {
        let limit = max(1, limit)
        return try await read { connection in
            try connection.execute("BEGIN")
            do {
                let result = try cursor.map { try Self.activity(after: $0, limit: limit, on: connection) }
                    ?? ([], try Self.presentCursor(on: connection))
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    private static let endedStates: [JobState] = [.completed, .discarded, .cancelled]

    private static func presentCursor(on connection: Connection) throws -> ActivityCursor {
        let newest = try connection.firstRow("SELECT coalesce(max(id), 0) FROM jobs") { $0.int64(0) } ?? 0
        let sequence = try connection.firstRow("SELECT coalesce(max(seq), 0) FROM attempts") { $0.int64(0) } ?? 0
        var ended: [JobState: ActivityCursor.EndedPosition] = [:]
        for state in endedStates {
            let last = try connection.firstRow(lastEndedSQL, [state.code]) { row in
                ActivityCursor.EndedPosition(at: Timestamp(microsecondsSinceEpoch: row.int64(0)), job: JobID(row.int64(1)))
            }
            if let last { ended[state] = last }
        }
        let running = try connection.rows(activityRunningSQL) { (JobID($0.int64(0)), $0.int(3)) }
        return ActivityCursor(
            newestJob: JobID(newest), attemptSequence: sequence, ended: ended,
            running: Dictionary(running, uniquingKeysWith: { $1 }))
    }

    private static func activity(
        after cursor: ActivityCursor, limit: Int, on connection: Connection
    ) throws -> ([ActivityEntry], ActivityCursor) {
        var entries: [ActivityEntry] = []
        var next = cursor
        for entry in try connection.rows(activityNewJobsSQL, [cursor.newestJob, limit], row: newJob) {
            entries.append(entry)
            next.newestJob = entry.jobID
        }
        let attempts = try connection.rows(activityAttemptsSQL, [cursor.attemptSequence, limit]) { row in
            (row.int64(0), endedAttempt(row))
        }
        next.attemptSequence = attempts.last?.0 ?? cursor.attemptSequence
        entries += attempts.compactMap(\.1)
        for state in endedStates {
            let position = cursor.ended[state]
            let rows = try connection.rows(
                endedSinceSQL, [state.code, position?.at ?? .distantPast, position?.job ?? JobID(Int64.min), limit]
            ) { row in endedJob(row, state: state) }
            entries += rows
            if let last = rows.last { next.ended[state] = .init(at: last.at, job: last.jobID) }
        }
        var running: [JobID: Int] = [:]
        for row in try connection.rows(activityRunningSQL, row: runningJob) {
            running[row.jobID] = row.attempt
            if cursor.running[row.jobID] != row.attempt { entries.append(row) }
        }
        next.running = running
        // One job's changes within one microsecond (one transaction) in the order they happen.
        entries.sort { ($0.at, $0.jobID, $0.kind.order) < ($1.at, $1.jobID, $1.kind.order) }
        return (entries, next)
    }

    private static func newJob(_ row: Statement) -> ActivityEntry {
        ActivityEntry(
            kind: .scheduled(runAt: Timestamp(microsecondsSinceEpoch: row.int64(3))), jobID: JobID(row.int64(0)),
            name: row.text(1), queue: row.text(2), attempt: 0, at: Timestamp(microsecondsSinceEpoch: row.int64(4)))
    }

    /// An attempt row, unless its outcome also ended the job: that end is read from the job.
    private static func endedAttempt(_ row: Statement) -> ActivityEntry? {
        guard let outcome = row.optionalText(4).flatMap(AttemptOutcome.init(rawValue:)),
            [.retried, .snoozed, .released, .interrupted].contains(outcome)
        else { return nil }
        return ActivityEntry(
            kind: .attemptEnded(outcome), jobID: JobID(row.int64(1)), name: row.optionalText(6) ?? "",
            queue: row.optionalText(7) ?? "", attempt: row.int(2),
            at: Timestamp(microsecondsSinceEpoch: row.optionalInt64(3) ?? 0), error: row.optionalText(5))
    }

    private static func endedJob(_ row: Statement, state: JobState) -> ActivityEntry {
        ActivityEntry(
            kind: .ended(state), jobID: JobID(row.int64(0)), name: row.text(1), queue: row.text(2), attempt: row.int(3),
            at: Timestamp(microsecondsSinceEpoch: row.int64(4)), error: state == .completed ? nil : row.optionalText(5))
    }

    private static func runningJob(_ row: Statement) -> ActivityEntry {
        ActivityEntry(
            kind: .started, jobID: JobID(row.int64(0)), name: row.text(1), queue: row.text(2), attempt: row.int(3),
            at: Timestamp(microsecondsSinceEpoch: row.int64(4)))
    }

    // Each statement reads in the order of one index: the rowid, the attempts' rowid,
    // jobs_finished (state, finished_at), jobs_state (whose key and condition the running jobs'
    // statement repeats).
    static let activityNewJobsSQL = "SELECT id, name, queue, run_at, created_at FROM jobs WHERE id > ?1 ORDER BY id LIMIT ?2"
    static let activityAttemptsSQL = """
        SELECT attempts.seq, attempts.job_id, attempts.attempt, attempts.finished_at, attempts.outcome, attempts.error, \
        jobs.name, jobs.queue FROM attempts LEFT JOIN jobs ON jobs.id = attempts.job_id \
        WHERE attempts.seq > ?1 AND attempts.finished_at IS NOT NULL ORDER BY attempts.seq LIMIT ?2
        """
    static let lastEndedSQL = """
        SELECT finished_at, id FROM jobs WHERE state = ?1 AND finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT 1
        """
    // Jobs ending in one transaction share their end time, so the position is (end time, id).
    static let endedSinceSQL = """
        SELECT id, name, queue, attempt, finished_at, last_error FROM jobs \
        WHERE state = ?1 AND finished_at >= ?2 AND (finished_at > ?2 OR id > ?3) ORDER BY finished_at, id LIMIT ?4
        """
    static let activityRunningSQL = """
        SELECT id, name, queue, attempt, coalesce(attempted_at, updated_at) FROM jobs INDEXED BY jobs_state \
        WHERE state + 0 = \(JobState.running.code) AND \(JournalSchema.stateIndexCondition)
        """
}
