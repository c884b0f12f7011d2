import DocketCore

/// The changes a write transaction makes to the job counts, added up as its statements change jobs
/// and written to `job_counts` once, just before the commit.
///
/// Every statement of the journal that inserts a job, changes its state or deletes it records the
/// change here, with the job's queue and name. A drain changes many jobs of few (queue, name) pairs
/// in each transaction, so the counts cost a statement or two per commit rather than one per job;
/// triggers on `jobs` would cost two per job. The writer thread clears the deltas when it begins a
/// transaction and when it rolls one back, so a rolled-back change is never counted.
struct JobCountDeltas {
    private var deltas: [JobCountKey: Int] = [:]
    /// The queue and name of jobs this connection claimed, so that ending their attempts needs no
    /// read of the row; a job's queue and name never change. Bounded: past the bound it starts over.
    private var claimedKeys: [Int64: (queue: String, name: String)] = [:]
    private static let claimedKeysBound = 65_536

    /// A job of `queue` and `name` moved from `old` (nil: it is new) to `new` (nil: it is gone).
    mutating func record(queue: String, name: String, from old: JobState?, to new: JobState?) {
        guard old != new else { return }
        if let old { deltas[JobCountKey(queue: queue, name: name, state: old), default: 0] -= 1 }
        if let new { deltas[JobCountKey(queue: queue, name: name, state: new), default: 0] += 1 }
    }

    /// Remembers the queue and name of a job this connection claimed.
    mutating func remember(id: JobID, queue: String, name: String) {
        if claimedKeys.count >= Self.claimedKeysBound { claimedKeys.removeAll(keepingCapacity: true) }
        claimedKeys[id.rawValue] = (queue, name)
    }

    /// The queue and name remembered for `id`, forgotten as the caller ends its attempt.
    mutating func forget(id: JobID) -> (queue: String, name: String)? {
        claimedKeys.removeValue(forKey: id.rawValue)
    }

    /// Drops what the transaction owed: it begins anew or was rolled back.
    mutating func discard() {
        deltas.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each non-zero change, then empties the deltas; no copy of them is made.
    mutating func drain(_ body: (JobCountKey, Int) throws -> Void) rethrows {
        defer { deltas.removeAll(keepingCapacity: true) }
        for (key, delta) in deltas where delta != 0 { try body(key, delta) }
    }
}

extension Connection {
    /// Writes what the open transaction owes to `job_counts`: one upsert per (queue, name, state)
    /// whose count changed.
    func flushCountDeltas() throws {
        try countDeltas.drain { key, delta in
            // Bound one by one: an array of parameters would be one more allocation per key.
            let upsert = try statement(Self.countDeltaSQL)
            defer { upsert.reset() }
            try upsert.bind(key.queue, at: 1)
            try upsert.bind(key.name, at: 2)
            try upsert.bind(key.state.code, at: 3)
            try upsert.bind(delta, at: 4)
            while try upsert.step() {}
        }
    }

    static let countDeltaSQL = """
        INSERT INTO job_counts (queue, name, state, count) VALUES (?1, ?2, ?3, ?4) \
        ON CONFLICT DO UPDATE SET count = count + excluded.count
        """
}
