import DocketCore

extension SQLiteJournal {
    static let scheduleByNameSQL = "SELECT \(ScheduleRecord.columns) FROM schedules WHERE name = ?1"

    static let insertScheduleSQL = """
        INSERT INTO schedules (name, origin, rule_kind, rule, time_zone, job_name, payload, queue, priority, \
        max_attempts, timeout_us, retry, overlap, catch_up, catch_up_limit, catch_up_window_us, anchor, \
        next_fire_at, created_at, updated_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)
        """

    /// A new definition: anchor and cursor restart, the removed mark goes, the held firing goes with
    /// the old rule. Pause and counts stay.
    static let redefineScheduleSQL = """
        UPDATE schedules SET rule_kind = ?2, rule = ?3, time_zone = ?4, job_name = ?5, payload = ?6, queue = ?7, \
        priority = ?8, max_attempts = ?9, timeout_us = ?10, retry = ?11, overlap = ?12, catch_up = ?13, \
        catch_up_limit = ?14, catch_up_window_us = ?15, anchor = ?16, next_fire_at = ?17, held_fire_at = NULL, \
        removed_at = NULL, updated_at = ?18 WHERE name = ?1
        """

    static func schedule(named name: String, on connection: Connection) throws -> ScheduleRecord? {
        try connection.firstRow(scheduleByNameSQL, [name], row: ScheduleRecord.init(row:))
    }

    static func insertSchedule(
        _ definition: ScheduleDefinition, origin: ScheduleOrigin, cursor: Timestamp?, now: Timestamp,
        on connection: Connection
    ) throws {
        let values: [(any SQLBindable)?] = [definition.name, origin.rawValue] + definition.columnValues + [now, cursor, now]
        try connection.run(insertScheduleSQL, values)
    }

    static func redefineSchedule(
        _ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp, on connection: Connection
    ) throws {
        let values: [(any SQLBindable)?] = [definition.name] + definition.columnValues + [now, cursor, now]
        try connection.run(redefineScheduleSQL, values)
    }

    package func reconcileDeclaredSchedules(
        _ declared: [ScheduleDefinition], now: Timestamp,
        start: @escaping @Sendable (ScheduleDefinition, _ anchor: Timestamp, _ from: Timestamp) -> Timestamp?
    ) async throws -> ScheduleReconciliation {
        try await write { connection in
            var report = ScheduleReconciliation()
            for definition in declared {
                guard let existing = try Self.schedule(named: definition.name, on: connection) else {
                    try Self.insertSchedule(definition, origin: .declared, cursor: start(definition, now, now), now: now, on: connection)
                    report.added.append(definition.name)
                    continue
                }
                guard existing.origin == .declared else {
                    throw ScheduleRefusal.exists(definition.name, origin: existing.origin)
                }
                if existing.definition != definition {
                    try Self.redefineSchedule(definition, cursor: start(definition, now, now), now: now, on: connection)
                    report.changed.append(definition.name)
                } else if existing.removedAt != nil {
                    // Declared again after a stop: it goes on from now, as a redefinition would, but
                    // keeps its anchor so that `@every` stays on its grid.
                    try connection.run(
                        "UPDATE schedules SET removed_at = NULL, held_fire_at = NULL, next_fire_at = ?2, updated_at = ?3 WHERE name = ?1",
                        [definition.name, start(definition, existing.anchor, now), now])
                    report.changed.append(definition.name)
                }
            }
            let names = Set(declared.map(\.name))
            let stillMarked = try connection.rows(
                "SELECT name FROM schedules WHERE origin = \(ScheduleOrigin.declared.rawValue) AND removed_at IS NULL",
                row: { $0.text(0) })
            for name in stillMarked where !names.contains(name) {
                try connection.run("UPDATE schedules SET removed_at = ?2, updated_at = ?2 WHERE name = ?1", [name, now])
                report.removed.append(name)
            }
            return report
        }
    }
}

extension SQLiteJournal {
    package func createSchedule(_ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp) async throws -> ScheduleRecord {
        try await write { connection in
            if let existing = try Self.schedule(named: definition.name, on: connection) {
                throw ScheduleRefusal.exists(definition.name, origin: existing.origin)
            }
            try Self.insertSchedule(definition, origin: .created, cursor: cursor, now: now, on: connection)
            return try Self.schedule(named: definition.name, on: connection).unwrap(or: "schedule \(definition.name) vanished")
        }
    }

    package func updateSchedule(_ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp) async throws -> ScheduleRecord {
        try await write { connection in
            let existing = try Self.createdSchedule(named: definition.name, on: connection)
            if existing.definition != definition {
                try Self.redefineSchedule(definition, cursor: cursor, now: now, on: connection)
            }
            return try Self.schedule(named: definition.name, on: connection).unwrap(or: "schedule \(definition.name) vanished")
        }
    }

    package func deleteSchedule(named name: String) async throws {
        try await write { connection in
            _ = try Self.createdSchedule(named: name, on: connection)
            try connection.run("DELETE FROM schedules WHERE name = ?1", [name])
        }
    }

    /// The schedule named `name`, which must have been created through the API.
    private static func createdSchedule(named name: String, on connection: Connection) throws -> ScheduleRecord {
        guard let existing = try schedule(named: name, on: connection) else { throw ScheduleRefusal.notFound(name) }
        guard existing.origin == .created else { throw ScheduleRefusal.declared(name) }
        return existing
    }

    package func setSchedulePaused(
        named name: String, paused: Bool, note: String?, cursor: Timestamp?, now: Timestamp
    ) async throws -> ScheduleRecord {
        try await write { connection in
            guard let existing = try Self.schedule(named: name, on: connection) else { throw ScheduleRefusal.notFound(name) }
            if paused {
                try connection.run(
                    "UPDATE schedules SET paused = 1, pause_note = ?2, updated_at = ?3 WHERE name = ?1", [name, note, now])
            } else if existing.isPaused {
                // Firings while paused are not caught up on: the cursor restarts, the held firing goes.
                try connection.run(
                    """
                    UPDATE schedules SET paused = 0, pause_note = NULL, next_fire_at = ?2, held_fire_at = NULL, \
                    updated_at = ?3 WHERE name = ?1 AND paused = 1
                    """, [name, cursor, now])
            }
            return try Self.schedule(named: name, on: connection).unwrap(or: "schedule \(name) vanished")
        }
    }

    package func triggerSchedule(named name: String, job: NewJob, now: Timestamp) async throws -> JobID {
        try await write { connection in
            guard try Self.schedule(named: name, on: connection) != nil else { throw ScheduleRefusal.notFound(name) }
            let inserted = try Self.insert(job, now: now, on: connection)
            try connection.run(
                "UPDATE schedules SET last_job_id = ?2, fired = fired + 1, updated_at = ?3 WHERE name = ?1",
                [name, inserted.id, now])
            return inserted.id
        }
    }

    package func schedule(named name: String) async throws -> ScheduleRecord? {
        try await read { connection in try Self.schedule(named: name, on: connection) }
    }

    package func schedules(after name: String?, limit: Int) async throws -> [ScheduleRecord] {
        try await read { connection in
            try connection.rows(
                "SELECT \(ScheduleRecord.columns) FROM schedules WHERE ?1 IS NULL OR name > ?1 ORDER BY name LIMIT ?2",
                [name, max(0, limit)], row: ScheduleRecord.init(row:))
        }
    }
}
