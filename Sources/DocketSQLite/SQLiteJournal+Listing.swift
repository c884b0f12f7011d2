import DocketCore

extension SQLiteJournal {
    /// One page of the jobs `request` matches: each requested state in turn, walked in id order from
    /// the cursor (on jobs_state for the states it holds, on the rowid for scheduled and completed
    /// jobs), every other filter checked on the rows walked.
    ///
    /// The walk selects ids and a match flag only; the matches' rows are read afterwards by id. Both
    /// statements run in one read transaction, so the page is one snapshot. A state whose
    /// (queue, name) counts say it holds no job of the requested names and queues is skipped without
    /// being walked.
    package func jobs(matching request: JobListRequest) async throws -> JobListPage {
        try await read { connection in
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            return try Self.jobs(matching: request, on: connection)
        }
    }

    static func jobs(matching request: JobListRequest, on connection: Connection) throws -> JobListPage {
        let filter = ListFilter(request)
        var matched: [Int64] = []
        var examined = 0
        // States before the cursor's are done; the cursor's continues after its id.
        var states = request.states[...]
        var after = Int64.min
        if let cursor = request.after {
            guard let index = request.states.firstIndex(of: cursor.state) else {
                return JobListPage(jobs: [], next: nil, examined: 0)
            }
            states = request.states[index...]
            after = cursor.id.rawValue
        }
        let counts = filter.needsCounts ? try jobCounts(on: connection) : [:]
        for state in states {
            if filter.needsCounts, !filter.mayMatch(state: state, counts: counts) {
                after = Int64.min
                continue
            }
            let walk = try connection.statement(state.isInStateIndex ? filter.walkSQL : filter.rowidWalkSQL)
            defer { walk.reset() }
            var values: [(any SQLBindable)?] = [state.code, after, request.examineLimit - examined]
            values += filter.values
            try walk.bind(values)
            var last = after
            while try walk.step() {
                examined += 1
                last = walk.int64(0)
                if walk.int(1) != 0 { matched.append(last) }
                if matched.count == request.limit || examined == request.examineLimit {
                    let next = JobListCursor(state: state, id: JobID(last))
                    return JobListPage(jobs: try records(matched, on: connection), next: next, examined: examined)
                }
            }
            after = Int64.min
        }
        return JobListPage(jobs: try records(matched, on: connection), next: nil, examined: examined)
    }

    /// The rows of `ids`, in the order of `ids`.
    private static func records(_ ids: [Int64], on connection: Connection) throws -> [JobRecord] {
        guard !ids.isEmpty else { return [] }
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let rows = try connection.rows(recordsSQL, [list]) { try JobRecord(row: $0, payloadsFrom: connection) }
        let byID = Dictionary(rows.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    static let recordsSQL = "SELECT \(JobRecord.columns) FROM jobs WHERE id IN (SELECT value FROM json_each(?1))"

    /// The query plan of a listing's walk for `request` in `state`, one line per step. For tests.
    func listingQueryPlan(_ request: JobListRequest, state: JobState) async throws -> [String] {
        let filter = ListFilter(request)
        let walk = state.isInStateIndex ? filter.walkSQL : filter.rowidWalkSQL
        return try await read { connection in
            try connection.rows("EXPLAIN QUERY PLAN " + walk) {
                $0.text(3)
            }
        }
    }
}

/// A request's filters as SQL: the match flag of the walk and its parameters (from ?4).
private struct ListFilter {
    var terms: [String] = []
    var values: [(any SQLBindable)?] = []
    var names: Set<String>?
    var queues: Set<String>?

    init(_ request: JobListRequest) {
        names = request.names.map(Set.init)
        queues = request.queues.map(Set.init)
        if let names = request.names { add("name IN (SELECT value FROM json_each(?))", names.jsonArrayText) }
        if let queues = request.queues { add("queue IN (SELECT value FROM json_each(?))", queues.jsonArrayText) }
        if let schedule = request.scheduleName { add("schedule_name = ?", schedule) }
        if let from = request.runAtFrom { add("run_at >= ?", from) }
        if let until = request.runAtUntil { add("run_at < ?", until) }
        if let from = request.finishedFrom { add("finished_at >= ?", from) }
        if let until = request.finishedUntil { add("finished_at < ?", until) }
        if let text = request.errorContains { add("instr(last_error, ?) > 0", text) }
    }

    private mutating func add(_ term: String, _ value: any SQLBindable) {
        terms.append(term.replacingOccurrences(of: "?", with: "?\(values.count + 4)"))
        values.append(value)
    }

    /// `state + 0` and the condition are jobs_state's key and condition (see the schema). `INDEXED BY`
    /// because the state is a parameter, so SQLite cannot weigh the index against walking the whole
    /// table by id. Each distinct set of filters is its own cached statement.
    var walkSQL: String {
        "SELECT id, coalesce(\(flag), 0) FROM jobs INDEXED BY jobs_state "
            + "WHERE state + 0 = ?1 AND \(JournalSchema.stateIndexCondition) AND id > ?2 ORDER BY id LIMIT ?3"
    }

    /// The walk of scheduled or completed jobs, which jobs_state leaves out: every row from the
    /// cursor in id order, the state part of the flag, so that the rows of other states count
    /// against the page's examine limit too and a page stays bounded when the state's jobs are few.
    var rowidWalkSQL: String {
        "SELECT id, coalesce(state = ?1 AND \(flag), 0) FROM jobs WHERE id > ?2 ORDER BY id LIMIT ?3"
    }

    private var flag: String { terms.isEmpty ? "1" : terms.map { "(\($0))" }.joined(separator: " AND ") }

    var needsCounts: Bool { names != nil || queues != nil }

    /// Whether the counts leave any job of `state` with the requested names and queues.
    func mayMatch(state: JobState, counts: [JobCountKey: Int]) -> Bool {
        counts.contains { key, count in
            key.state == state && count > 0 && (names?.contains(key.name) ?? true)
                && (queues?.contains(key.queue) ?? true)
        }
    }
}
