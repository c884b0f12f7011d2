import DocketCore

extension SQLiteJournal {
    /// Applies each change as a compare-and-set, all in one transaction.
    ///
    /// A change applies only while the job is in the state its event needs, on the expected attempt
    /// when one is given, and with attempts left for a retry. Otherwise nothing changes and its result
    /// is the ``TransitionRefusal`` that ``JobLifecycle`` gives, with the job's id.
    ///
    /// A ``JobEvent/claim`` applied here takes no lease and records no owner; ``claim(_:)`` is the way
    /// to claim jobs for a scheduler.
    public func apply(_ changes: [JobChange], now: Timestamp) async throws -> [Result<JobState, TransitionRefusal>] {
        try await write { connection in
            try changes.map { try Self.apply($0, now: now, on: connection) }
        }
    }

    static func apply(
        _ change: JobChange, now: Timestamp, on connection: Connection
    ) throws -> Result<JobState, TransitionRefusal> {
        let kind = change.event.kind
        let statement = try connection.statement(updateSQLByKind[kind] ?? updateSQL(for: kind))
        defer { statement.reset() }
        // Parameters are numbered in this order; each statement binds only as many as it names.
        let values: [(any SQLBindable)?] = [change.id, change.expectedAttempt, now, change.event.runAt, change.error]
        try statement.bind(Array(values.prefix(statement.parameterCount)))
        guard try statement.step() else {
            return .failure(try refusal(for: change, on: connection))
        }
        let state = try JobState(code: statement.int(0)).unwrap(or: "unknown state after \(kind.rawValue)")
        let attempt = statement.int(1)
        statement.reset()

        if let outcome = closingOutcome(kind) {
            try connection.run(closeAttemptSQL, [change.id, now, outcome.rawValue, change.error])
        }
        if kind == .claim {
            // A claim through apply has no lease owner; claim(_:) is the way to claim with one.
            try connection.run(openAttemptSQL, [change.id, attempt, "", now])
        }
        return .success(state)
    }

    /// Why `change` did not apply, read inside the same transaction. Only a wrong state outranks an
    /// attempt mismatch: a job on another attempt was moved by someone else, whatever else is true.
    static func refusal(for change: JobChange, on connection: Connection) throws -> TransitionRefusal {
        let kind = change.event.kind
        let snapshot = try connection.firstRow(snapshotSQL, [change.id]) {
            JobSnapshot(
                state: try JobState(code: $0.int(0)).unwrap(or: "unknown state"), attempt: $0.int(1),
                maxAttempts: $0.int(2))
        }
        guard let snapshot else {
            return TransitionRefusal(jobID: change.id, event: kind, reason: .notFound)
        }
        let verdict = JobLifecycle.apply(change.event, to: snapshot)
        if case .failure(let refusal) = verdict, case .wrongState = refusal.reason {
            return TransitionRefusal(jobID: change.id, event: kind, reason: refusal.reason)
        }
        if let expected = change.expectedAttempt, expected != snapshot.attempt {
            return TransitionRefusal(
                jobID: change.id, event: kind, reason: .attemptMismatch(expected: expected, actual: snapshot.attempt))
        }
        if case .failure(let refusal) = verdict {
            return TransitionRefusal(jobID: change.id, event: kind, reason: refusal.reason)
        }
        // The guarded update and the lifecycle disagree, which the tests rule out; refusing changes nothing.
        return TransitionRefusal(jobID: change.id, event: kind, reason: .wrongState(snapshot.state))
    }

    static let snapshotSQL = "SELECT state, attempt, max_attempts FROM jobs WHERE id = ?1"

    /// How an event that ends a running attempt closes its attempt row; nil for the others.
    static func closingOutcome(_ kind: JobEvent.Kind) -> AttemptOutcome? {
        switch kind {
        case .complete: .completed
        case .retry: .retried
        case .discard: .discarded
        case .snooze: .snoozed
        case .release: .released
        case .rescue: .interrupted
        case .claim, .cancel, .reschedule: nil
        }
    }

    /// Closes the open attempt row of job ?1.
    static let closeAttemptSQL = """
        UPDATE attempts SET finished_at = ?2, outcome = ?3, error = ?4 WHERE job_id = ?1 AND finished_at IS NULL
        """
}

extension Optional {
    /// The value, or a journal error saying what was missing.
    func unwrap(or message: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw JournalError(kind: .other, message: message()) }
        return self
    }
}
