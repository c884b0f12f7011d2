import DocketCore

/// A statement the writer runs for nearly every job (a state change, an attempt row, the count
/// upsert): the connection finds it by its slot, an index into an array, instead of hashing its
/// text, which for these statements is longer than the work of looking them up should be.
struct StatementSlot: Sendable {
    /// Where the connection keeps it; unique among ``all``.
    let index: Int
    let sql: String
}

extension StatementSlot {
    private static let kinds = JobEvent.Kind.allCases

    /// The guarded update of each event kind (``SQLiteJournal/updateSQL(for:)``), by `Kind.ordinal`.
    static let updates: [StatementSlot] = kinds.enumerated().map { offset, kind in
        StatementSlot(index: offset, sql: SQLiteJournal.updateSQL(for: kind))
    }

    /// The attempt row each event kind writes (``SQLiteJournal/endAttemptSQL(for:)``), by
    /// `Kind.ordinal`; nil for kinds that write none.
    static let endAttempts: [StatementSlot?] = kinds.enumerated().map { offset, kind in
        SQLiteJournal.endAttemptSQL(for: kind).map { StatementSlot(index: kinds.count + offset, sql: $0) }
    }

    /// The upsert of one (queue, name, state) count.
    static let countDelta = StatementSlot(index: 2 * kinds.count, sql: Connection.countDeltaSQL)

    /// The queue, name and state of one job, read when a change's count key is not remembered.
    static let countKey = StatementSlot(index: 2 * kinds.count + 1, sql: SQLiteJournal.countKeySQL)

    /// How many slots there are.
    static let count = 2 * kinds.count + 2
}

extension JobEvent.Kind {
    /// The kind's position in `allCases`, without a search: the index of its statement slots.
    var ordinal: Int {
        switch self {
        case .claim: 0
        case .complete: 1
        case .retry: 2
        case .discard: 3
        case .snooze: 4
        case .release: 5
        case .rescue: 6
        case .cancel: 7
        case .reschedule: 8
        case .revive: 9
        }
    }
}
