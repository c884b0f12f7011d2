import DocketCore

extension ScheduleRecord {
    /// The `schedules` columns ``init(row:)`` decodes, in its order. A constant SQL fragment.
    static let columns = """
        name, origin, rule_kind, rule, time_zone, anchor, job_name, payload, queue, priority, max_attempts, \
        timeout_us, retry, overlap, catch_up, catch_up_limit, catch_up_window_us, paused, pause_note, removed_at, \
        next_fire_at, held_fire_at, last_fire_at, last_job_id, fired, missed, skipped, created_at, updated_at
        """

    /// Decodes a row selected as ``columns``.
    init(row: Statement) throws {
        let name = row.text(0)
        func code<Value>(_ column: Int32, _ decode: (Int) -> Value?) throws -> Value {
            let code = row.int(column)
            guard let value = decode(code) else {
                throw JournalError(kind: .notAJournal, message: "schedule \(name.debugDescription) has unknown code \(code) in column \(column)")
            }
            return value
        }
        let catchUpMode: CatchUpPolicy.Mode = try code(14) { code in
            switch code {
            case 0: .countOnly
            case 1: .latest
            case 2: .all(limit: row.int(15))
            default: nil
            }
        }
        let definition = ScheduleDefinition(
            name: name,
            recurrence: RecurrenceSpec(kind: try code(2, RecurrenceSpec.Kind.init(rawValue:)), text: row.text(3), timeZone: row.text(4)),
            job: JobTemplate(
                name: row.text(6), payload: row.blob(7), queue: row.text(8), priority: row.int(9),
                maxAttempts: row.optionalInt64(10).map(Int.init), timeout: row.optionalInt64(11).map { .microseconds($0) },
                retryOverride: row.optionalText(12)),
            overlap: try code(13, OverlapPolicy.init(code:)),
            catchUp: CatchUpPolicy(mode: catchUpMode, window: row.optionalInt64(16).map { .microseconds($0) }))
        self.init(
            definition: definition, origin: try code(1, ScheduleOrigin.init(rawValue:)),
            anchor: Timestamp(microsecondsSinceEpoch: row.int64(5)), isPaused: row.int(17) != 0,
            pauseNote: row.optionalText(18), removedAt: Self.timestamp(row, 19), cursor: Self.timestamp(row, 20),
            held: Self.timestamp(row, 21), lastFiring: Self.timestamp(row, 22),
            lastJobID: row.optionalInt64(23).map { JobID($0) }, fired: row.int(24), missed: row.int(25),
            skipped: row.int(26), createdAt: Timestamp(microsecondsSinceEpoch: row.int64(27)),
            updatedAt: Timestamp(microsecondsSinceEpoch: row.int64(28)))
    }

    private static func timestamp(_ row: Statement, _ column: Int32) -> Timestamp? {
        row.optionalInt64(column).map(Timestamp.init(microsecondsSinceEpoch:))
    }
}

extension ScheduleDefinition {
    /// The values of the definition's columns, in the order of ``ScheduleRecord/columns`` from
    /// `rule_kind` through `catch_up_window_us`, less `anchor`.
    var columnValues: [(any SQLBindable)?] {
        let catchUpCode: Int
        let catchUpLimit: Int
        switch catchUp.mode {
        case .countOnly: (catchUpCode, catchUpLimit) = (0, 0)
        case .latest: (catchUpCode, catchUpLimit) = (1, 1)
        case .all(let limit): (catchUpCode, catchUpLimit) = (2, limit)
        }
        return [
            recurrence.kind.rawValue, recurrence.text, recurrence.timeZone, job.name, job.payload, job.queue,
            job.priority, job.maxAttempts, job.timeout?.microseconds, job.retryOverride, overlap.code, catchUpCode,
            catchUpLimit, catchUp.window?.microseconds,
        ]
    }
}
