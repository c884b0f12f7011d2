import DocketCore

extension SQLiteJournal {
    /// Applies each change as a compare-and-set, all in one transaction.
    ///
    /// A change applies only while the job is in the state its event needs, on the expected attempt
    /// when one is given, and with attempts left for a retry. Otherwise nothing changes and its result
    /// is the ``TransitionRefusal`` that ``JobLifecycle`` gives, with the job's id.
    ///
    /// An attempt that ends without completing the job (retry, discard, snooze, release, rescue) is
    /// written to the attempts table; a completed job's row is the record of its last attempt. A
    /// ``JobEvent/claim`` applied here takes no lease and records no owner; ``claim(_:)`` is the way
    /// to claim jobs for a scheduler.
    package func apply(_ changes: [JobChange], now: Timestamp) async throws -> [Result<JobState, TransitionRefusal>] {
        try await write { connection in
            try changes.map { try Self.apply($0, now: now, on: connection) }
        }
    }

    static func apply(
        _ change: JobChange, now: Timestamp, on connection: Connection
    ) throws -> Result<JobState, TransitionRefusal> {
        let kind = change.event.kind
        // The queue and name of a job this connection claimed are known; others are read, with the
        // state when the event may start from more than one.
        var before = onlyExpectedState(kind)
        var key = before == .running ? connection.countDeltas.forget(id: change.id) : nil
        if key == nil || before == nil {
            let read = try connection.statement(.countKey)
            defer { read.reset() }
            try read.bind(change.id, at: 1)
            if try read.step() {
                key = (read.text(0), read.text(1))
                before = before ?? JobState(code: read.int(2))
            }
        }
        // A cancel of a running job ends it: the claim's memory of the job goes too.
        if kind == .cancel, before == .running { _ = connection.countDeltas.forget(id: change.id) }
        let result = try applyUncounted(change, now: now, on: connection)
        if case .success(let after) = result, let key {
            connection.countDeltas.record(queue: key.queue, name: key.name, from: before, to: after)
        }
        return result
    }

    static let countKeySQL = "SELECT queue, name, state FROM jobs WHERE id = ?1"

    /// The one state an event of `kind` applies in; nil for a revive (discarded or cancelled) and a
    /// cancel (scheduled or running). A switch, not `expectedStates`, which builds an array on every
    /// change.
    static func onlyExpectedState(_ kind: JobEvent.Kind) -> JobState? {
        switch kind {
        case .claim, .reschedule: .scheduled
        case .complete, .retry, .discard, .snooze, .release, .rescue: .running
        case .cancel, .revive: nil
        }
    }

    static func applyUncounted(
        _ change: JobChange, now: Timestamp, on connection: Connection
    ) throws -> Result<JobState, TransitionRefusal> {
        let kind = change.event.kind
        let recordsAttempt = try recordEndedAttempt(change, now: now, on: connection)
        if recordsAttempt == false {
            return .failure(try refusal(for: change, on: connection))
        }
        let statement = try connection.statement(StatementSlot.updates[kind.ordinal])
        defer { statement.reset() }
        try bind(change, now: now, to: statement)
        let applied: JobState?
        if let known = resultingState(kind) {
            while try statement.step() {}
            applied = connection.changes == 1 ? known : nil
        } else {
            applied = try statement.step() ? try JobState(code: statement.int(0)).unwrap(or: "unknown state after \(kind.rawValue)") : nil
        }
        guard let applied else {
            if recordsAttempt == true {
                // Both statements run under one guard in one transaction, so this cannot happen; throwing
                // rolls the attempt row back with everything else.
                throw JournalError(
                    kind: .other, message: "job \(change.id): attempt row written but \(kind.rawValue) did not apply",
                    path: connection.path)
            }
            return .failure(try refusal(for: change, on: connection))
        }
        return .success(applied)
    }

    /// Writes the attempt that `change` ends to the attempts table, reading its owner and start from
    /// the job row before the update clears them, under the update's own guard. Returns nil when the
    /// event writes no attempt row (or a cancel finds no running job), else whether the row was
    /// written (that is, whether the update will apply).
    static func recordEndedAttempt(_ change: JobChange, now: Timestamp, on connection: Connection) throws -> Bool? {
        guard let slot = StatementSlot.endAttempts[change.event.kind.ordinal] else { return nil }
        let insert = try connection.statement(slot)
        defer { insert.reset() }
        try bind(change, now: now, to: insert)
        while try insert.step() {}
        // A cancel writes a row only for a running job, so no row says nothing of a scheduled one.
        if connection.changes == 0, change.event.kind == .cancel { return nil }
        return connection.changes == 1
    }

    /// Binds a change to the parameters of ``updateSQL(for:)`` and ``endAttemptSQL(for:)``: ?1 id,
    /// ?2 expected attempt, ?3 now, ?4 the event's run-at, ?5 the error text, each only if the
    /// statement names it.
    static func bind(_ change: JobChange, now: Timestamp, to statement: Statement) throws {
        let count = statement.parameterCount
        try statement.bind(change.id, at: 1)
        if count >= 2 { try statement.bind(change.expectedAttempt, at: 2) }
        if count >= 3 { try statement.bind(now, at: 3) }
        if count >= 4 { try statement.bind(change.event.runAt, at: 4) }
        if count >= 5 { try statement.bind(change.error, at: 5) }
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
        if kind == .revive, let holder = try connection.firstRow(reviveKeyHolderSQL, [change.id], row: { $0.int64(0) }) {
            return TransitionRefusal(jobID: change.id, event: kind, reason: .uniqueKeyHeld(holder: JobID(holder)))
        }
        // The guarded update and the lifecycle disagree, which the tests rule out; refusing changes nothing.
        return TransitionRefusal(jobID: change.id, event: kind, reason: .wrongState(snapshot.state))
    }

    static let snapshotSQL = "SELECT state, attempt, max_attempts FROM jobs WHERE id = ?1"

    /// The job holding the unique key of job ?1, other than itself.
    static let reviveKeyHolderSQL = """
        SELECT holder.id FROM jobs JOIN jobs AS holder ON holder.unique_key = jobs.unique_key \
        WHERE jobs.id = ?1 AND holder.id <> jobs.id \
        AND (holder.state IN (0, 1) OR (holder.state = 2 AND holder.unique_scope = 1))
        """
}

extension Optional {
    /// The value, or a journal error saying what was missing.
    func unwrap(or message: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw JournalError(kind: .other, message: message()) }
        return self
    }
}
