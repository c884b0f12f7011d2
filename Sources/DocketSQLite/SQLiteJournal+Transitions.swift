import DocketCore

extension SQLiteJournal {
    /// The guarded UPDATE that applies an event of `kind`: it changes the job only while the job is in
    /// the state ``JobLifecycle`` requires for the event (and on attempt ?2 when that is not NULL).
    ///
    /// Parameters: ?1 id, ?2 expected attempt, ?3 now, ?4 the event's run-at, ?5 the error text. Every
    /// fragment is a constant; the state codes come from ``JobState/code``. Only a rescue returns a
    /// row (the new state); see ``resultingState(_:)``.
    static func updateSQL(for kind: JobEvent.Kind) -> String {
        let scheduled = JobState.scheduled.code
        let discarded = JobState.discarded.code
        let clearLease = "lease_owner = NULL, lease_expires_at = NULL"
        let assignments: String =
            switch kind {
            case .claim:
                // Claimed without a lease: lease_owner stays NULL, as it is on every scheduled job.
                "state = \(JobState.running.code), attempt = attempt + 1, attempted_at = ?3"
            case .complete:
                // lease_owner and attempted_at stay: a completed job's row records its last attempt.
                "state = \(JobState.completed.code), finished_at = ?3, lease_expires_at = NULL"
            case .retry:
                "state = \(scheduled), run_at = ?4, last_error = coalesce(?5, last_error), \(clearLease)"
            case .discard:
                "state = \(discarded), finished_at = ?3, last_error = coalesce(?5, last_error), \(clearLease)"
            case .snooze, .release:
                // The attempt is given back, never below zero.
                "state = \(scheduled), run_at = ?4, attempt = max(0, attempt - 1), \(clearLease)"
            case .rescue:
                // Scheduled again while attempts are left, discarded once they are spent. In SET, every
                // column reads its value from before the update.
                """
                state = CASE WHEN attempt < max_attempts THEN \(scheduled) ELSE \(discarded) END, \
                run_at = CASE WHEN attempt < max_attempts THEN ?4 ELSE run_at END, \
                finished_at = CASE WHEN attempt < max_attempts THEN NULL ELSE ?3 END, \
                last_error = coalesce(?5, last_error), \(clearLease)
                """
            case .cancel:
                // A running job's attempt row (written first) records its owner.
                "state = \(JobState.cancelled.code), finished_at = ?3, \(clearLease)"
            case .reschedule:
                "run_at = ?4"
            case .revive:
                // As many attempts again as the job was allowed; the attempts table keeps its history.
                "state = \(scheduled), run_at = ?4, finished_at = NULL, max_attempts = attempt + max_attempts, \(clearLease)"
            }
        // Only a rescue's new state depends on the row; every other event's is known, and the rows
        // changed say whether it applied. RETURNING would buffer its row in a temporary table of its
        // own, whose page cache SQLite allocates and frees at every statement.
        let returning = resultingState(kind) == nil ? " RETURNING state" : ""
        return "UPDATE jobs SET \(assignments), updated_at = ?3 WHERE \(guardSQL(for: kind))\(returning)"
    }

    /// The state an event of `kind` leaves the job in when it applies; nil when it depends on the job
    /// (a rescue discards a job whose attempts are spent).
    static func resultingState(_ kind: JobEvent.Kind) -> JobState? {
        switch kind {
        case .claim: .running
        case .complete: .completed
        case .retry, .snooze, .release, .reschedule, .revive: .scheduled
        case .discard: .discarded
        case .cancel: .cancelled
        case .rescue: nil
        }
    }

    /// The condition under which an event of `kind` applies to job ?1; ``updateSQL(for:)`` and
    /// ``endAttemptSQL(for:)`` share it, so an attempt row is written exactly when the update applies.
    static func guardSQL(for kind: JobEvent.Kind) -> String {
        let spends = kind == .claim || kind == .retry
        let codes = kind.expectedStates.map { "\($0.code)" }
        let states = codes.count == 1 ? "state = \(codes[0])" : "state IN (\(codes.joined(separator: ", ")))"
        // A revived job holds its unique key again, so it may not while another job holds it (the
        // partial unique index would refuse the whole transaction otherwise).
        let keyFree = kind == .revive ? " AND (unique_key IS NULL OR NOT EXISTS (\(keyHolderSQL)))" : ""
        return "id = ?1 AND \(states) AND (?2 IS NULL OR attempt = ?2)"
            + (spends ? " AND attempt < max_attempts" : "") + keyFree
    }

    /// Another job holding the unique key of the job the enclosing statement is on, written as the
    /// unique index's condition.
    static let keyHolderSQL = """
        SELECT 1 FROM jobs AS holder WHERE holder.unique_key = jobs.unique_key AND holder.id <> jobs.id \
        AND (holder.state IN (0, 1) OR (holder.state = 2 AND holder.unique_scope = 1))
        """

    /// The INSERT that records the running attempt of job ?1 as ended by an event of `kind`, run just
    /// before ``updateSQL(for:)`` (which clears the owner it reads) and under the same guard; nil for
    /// events that end no attempt, and for ``JobEvent/complete``, whose attempt the job row itself
    /// records. Started at the job's `attempted_at` (its `updated_at` if it has none), by its
    /// `lease_owner` ("" if it has none). Same parameters as ``updateSQL(for:)``.
    static func endAttemptSQL(for kind: JobEvent.Kind) -> String? {
        guard let outcome = recordedOutcome(kind) else { return nil }
        // A cancel ends an attempt only when the job runs; a scheduled job has none to record.
        let running = kind == .cancel ? " AND state = \(JobState.running.code)" : ""
        return """
            INSERT INTO attempts (job_id, attempt, owner, started_at, finished_at, outcome, error) \
            SELECT id, attempt, coalesce(lease_owner, ''), coalesce(attempted_at, updated_at), ?3, \
            '\(outcome.rawValue)', ?5 FROM jobs WHERE \(guardSQL(for: kind))\(running)
            """
    }

    /// The outcome an event of `kind` writes to the attempts table: every end of an attempt except
    /// completion (a cancel only when the job runs); nil for the others.
    static func recordedOutcome(_ kind: JobEvent.Kind) -> AttemptOutcome? {
        switch kind {
        case .retry: .retried
        case .discard: .discarded
        case .snooze: .snoozed
        case .release: .released
        case .rescue: .interrupted
        case .cancel: .cancelled
        case .complete, .claim, .reschedule, .revive: nil
        }
    }
}
