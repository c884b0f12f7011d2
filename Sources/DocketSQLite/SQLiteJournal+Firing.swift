import DocketCore

extension SQLiteJournal {
    /// Active schedules due by `?1`, by cursor, read in the order of the partial index `schedules_due`
    /// (written as its condition). Not one UNION with the held ones: a union sorts on every column
    /// and must read every row of a cursor value first, which on a minute when thousands of
    /// schedules share one cursor costs each pass all of them.
    static let dueSchedulesSQL = """
        SELECT \(ScheduleRecord.columns) FROM schedules \
        WHERE paused = 0 AND removed_at IS NULL AND next_fire_at IS NOT NULL AND next_fire_at <= ?1 \
        ORDER BY next_fire_at LIMIT ?2
        """

    /// Active schedules holding a firing whose previous job has ended (or was pruned), from the
    /// partial index `schedules_held`. The ones still waiting are not read: so many of them cannot
    /// fill every pass, keep the pass from the rest, or make the loop ask for pass after pass.
    static let heldSchedulesSQL = """
        SELECT \(ScheduleRecord.columns) FROM schedules \
        WHERE held_fire_at IS NOT NULL AND paused = 0 AND removed_at IS NULL \
        AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = schedules.last_job_id AND jobs.state IN (0, 1)) \
        LIMIT ?1
        """

    /// The firing's compare-and-set: it applies only while the cursor and held firing are those read.
    static let moveCursorSQL = """
        UPDATE schedules SET next_fire_at = ?4, held_fire_at = ?5, last_fire_at = coalesce(?6, last_fire_at), \
        last_job_id = coalesce(?7, last_job_id), fired = fired + ?8, missed = missed + ?9, skipped = skipped + ?10, \
        updated_at = ?11 WHERE name = ?1 AND next_fire_at IS ?2 AND held_fire_at IS ?3
        """

    static let nextScheduleDueSQL = """
        SELECT min(next_fire_at) FROM schedules \
        WHERE paused = 0 AND removed_at IS NULL AND next_fire_at IS NOT NULL
        """

    static let anyHeldSQL = "SELECT 1 FROM schedules WHERE held_fire_at IS NOT NULL AND paused = 0 AND removed_at IS NULL LIMIT 1"

    package func fireDueSchedules(
        now: Timestamp, limit: Int,
        decide: @escaping @Sendable (ScheduleRecord, Bool) -> ScheduleFiringDecision
    ) async throws -> ScheduleFiringReport {
        // A look on the read connection first: a journal with nothing due (or no schedules at all)
        // costs its scheduler no write transaction.
        let idle = try await read { connection in
            var report = ScheduleFiringReport()
            try Self.readNextDue(into: &report, on: connection)
            return report
        }
        if !idle.hasHeld, idle.nextDue.map({ $0 > now }) ?? true { return idle }
        return try await write { connection in
            try Self.fireDueSchedules(now: now, limit: limit, decide: decide, on: connection)
        }
    }

    static func readNextDue(into report: inout ScheduleFiringReport, on connection: Connection) throws {
        report.nextDue = try connection.firstRow(nextScheduleDueSQL) { $0.optionalInt64(0) }
            .flatMap { $0 }.map(Timestamp.init(microsecondsSinceEpoch:))
        report.hasHeld = try connection.firstRow(anyHeldSQL) { _ in true } ?? false
    }

    static func fireDueSchedules(
        now: Timestamp, limit: Int, decide: (ScheduleRecord, Bool) -> ScheduleFiringDecision,
        on connection: Connection
    ) throws -> ScheduleFiringReport {
        var report = ScheduleFiringReport()
        let limit = max(1, limit)
        var due = try connection.rows(dueSchedulesSQL, [now, limit], row: ScheduleRecord.init(row:))
        if due.count < limit {
            let names = Set(due.map(\.definition.name))
            let held = try connection.rows(heldSchedulesSQL, [limit], row: ScheduleRecord.init(row:))
            due += held.lazy.filter { !names.contains($0.definition.name) }.prefix(limit - due.count)
        }
        for schedule in due {
            let decision = decide(schedule, try previousJobActive(schedule, on: connection))
            if let failure = decision.failure {
                try connection.run(
                    "UPDATE schedules SET paused = 1, pause_note = ?2, updated_at = ?3 WHERE name = ?1",
                    [schedule.name, failure, now])
                report.failed.append((schedule.name, failure))
                continue
            }
            let plan = decision.plan
            if plan.missed > 0 { report.missed.append((schedule.name, plan.missed)) }
            var lastJob: JobID?
            for job in decision.jobs {
                let inserted = try insert(job, now: now, on: connection)
                lastJob = inserted.id
                if !inserted.isDuplicate { report.created.append((inserted.id, job)) }
            }
            let values: [(any SQLBindable)?] = [
                schedule.name, schedule.cursor, schedule.held, plan.cursor, plan.held, plan.firings.last, lastJob,
                decision.jobs.count, plan.missed, plan.skipped, now,
            ]
            guard try connection.run(moveCursorSQL, values) == 1 else {
                throw JournalError(kind: .other, message: "schedule \(schedule.name) changed during its firing")
            }
            if plan.hasMore { report.hasMore = true }
        }
        if due.count >= limit { report.hasMore = true }
        try readNextDue(into: &report, on: connection)
        return report
    }

    /// Whether the schedule's latest job is still scheduled or running; false when it has none, or it
    /// was pruned.
    private static func previousJobActive(_ schedule: ScheduleRecord, on connection: Connection) throws -> Bool {
        guard let id = schedule.lastJobID, schedule.definition.overlap != .allow || schedule.held != nil else {
            return false
        }
        let state = try connection.firstRow("SELECT state FROM jobs WHERE id = ?1", [id]) { $0.int(0) }
        return state == JobState.scheduled.code || state == JobState.running.code
    }
}
