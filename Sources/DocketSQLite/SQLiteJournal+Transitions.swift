import DocketCore

extension SQLiteJournal {
    /// ``updateSQL(for:)`` for every kind, built once.
    static let updateSQLByKind = Dictionary(
        uniqueKeysWithValues: JobEvent.Kind.allCases.map { ($0, updateSQL(for: $0)) })

    /// The guarded UPDATE that applies an event of `kind`: it changes the job only while the job is in
    /// the state ``JobLifecycle`` requires for the event (and on attempt ?2 when that is not NULL), and
    /// returns the new state and attempt.
    ///
    /// Parameters: ?1 id, ?2 expected attempt, ?3 now, ?4 the event's run-at, ?5 the error text. Every
    /// fragment is a constant; the state codes come from ``JobState/code``.
    static func updateSQL(for kind: JobEvent.Kind) -> String {
        let scheduled = JobState.scheduled.code
        let discarded = JobState.discarded.code
        let clearLease = "lease_owner = NULL, lease_expires_at = NULL"
        let (assignments, extraGuard): (String, String) =
            switch kind {
            case .claim:
                ("state = \(JobState.running.code), attempt = attempt + 1", " AND attempt < max_attempts")
            case .complete:
                ("state = \(JobState.completed.code), finished_at = ?3, \(clearLease)", "")
            case .retry:
                (
                    "state = \(scheduled), run_at = ?4, last_error = coalesce(?5, last_error), \(clearLease)",
                    " AND attempt < max_attempts"
                )
            case .discard:
                ("state = \(discarded), finished_at = ?3, last_error = coalesce(?5, last_error), \(clearLease)", "")
            case .snooze, .release:
                // The attempt is given back, never below zero.
                ("state = \(scheduled), run_at = ?4, attempt = max(0, attempt - 1), \(clearLease)", "")
            case .rescue:
                // Scheduled again while attempts are left, discarded once they are spent. In SET, every
                // column reads its value from before the update.
                (
                    """
                    state = CASE WHEN attempt < max_attempts THEN \(scheduled) ELSE \(discarded) END, \
                    run_at = CASE WHEN attempt < max_attempts THEN ?4 ELSE run_at END, \
                    finished_at = CASE WHEN attempt < max_attempts THEN NULL ELSE ?3 END, \
                    last_error = coalesce(?5, last_error), \(clearLease)
                    """,
                    ""
                )
            case .cancel:
                ("state = \(JobState.cancelled.code), finished_at = ?3", "")
            case .reschedule:
                ("run_at = ?4", "")
            }
        return """
            UPDATE jobs SET \(assignments), updated_at = ?3 WHERE id = ?1 AND state = \(kind.expectedState.code) \
            AND (?2 IS NULL OR attempt = ?2)\(extraGuard) RETURNING state, attempt
            """
    }
}
