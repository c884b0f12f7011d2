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
    /// The changes per (queue, name), in the order first seen. A transaction touches few pairs, so
    /// they are found by comparing strings, not by hashing them: a drain records every job it claims
    /// and completes, and hashing two strings per record was a measurable share of the writer's time.
    private var entries: [Entry] = []
    /// The entry found last: jobs of one batch mostly share a queue and a name.
    private var last = 0
    /// The queue and name of jobs this connection claimed, so that ending their attempts needs no
    /// read of the row; a job's queue and name never change. Bounded: past the bound it starts over.
    private var claimedKeys: [Int64: (queue: String, name: String)] = [:]
    private static let claimedKeysBound = 65_536
    /// Past this many pairs in one transaction (a prune of many names, say), pairs are found through
    /// a dictionary instead of by comparison.
    private static let comparedPairs = 16
    private var indexByPair: [Pair: Int] = [:]

    private struct Pair: Hashable {
        var queue: String
        var name: String
    }

    private struct Entry {
        var queue: String
        var name: String
        /// The change per state, indexed by `JobState.code`.
        var byState: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)

        mutating func add(_ delta: Int, to state: JobState) {
            switch state.code {
            case 0: byState.0 += delta
            case 1: byState.1 += delta
            case 2: byState.2 += delta
            case 3: byState.3 += delta
            default: byState.4 += delta
            }
        }

        func delta(at code: Int) -> Int {
            switch code {
            case 0: byState.0
            case 1: byState.1
            case 2: byState.2
            case 3: byState.3
            default: byState.4
            }
        }
    }

    /// A job of `queue` and `name` moved from `old` (nil: it is new) to `new` (nil: it is gone).
    mutating func record(queue: String, name: String, from old: JobState?, to new: JobState?) {
        guard old != new else { return }
        let index = entryIndex(queue: queue, name: name)
        if let old { entries[index].add(-1, to: old) }
        if let new { entries[index].add(1, to: new) }
    }

    private mutating func entryIndex(queue: String, name: String) -> Int {
        if last < entries.count, entries[last].name == name, entries[last].queue == queue { return last }
        if entries.count <= Self.comparedPairs {
            if let found = entries.firstIndex(where: { $0.name == name && $0.queue == queue }) {
                last = found
                return found
            }
        } else if let found = indexByPair[Pair(queue: queue, name: name)] {
            last = found
            return found
        }
        entries.append(Entry(queue: queue, name: name))
        last = entries.count - 1
        if entries.count > Self.comparedPairs {
            if indexByPair.isEmpty {
                for (index, entry) in entries.enumerated() { indexByPair[Pair(queue: entry.queue, name: entry.name)] = index }
            } else {
                indexByPair[Pair(queue: queue, name: name)] = last
            }
        }
        return last
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
        entries.removeAll(keepingCapacity: true)
        indexByPair.removeAll()
        last = 0
    }

    /// Calls `body` with each non-zero change, then empties the deltas; no copy of them is made.
    mutating func drain(_ body: (JobCountKey, Int) throws -> Void) rethrows {
        defer { discard() }
        for entry in entries {
            for state in JobState.allCases {
                let delta = entry.delta(at: state.code)
                if delta != 0 { try body(JobCountKey(queue: entry.queue, name: entry.name, state: state), delta) }
            }
        }
    }
}

extension Connection {
    /// Writes what the open transaction owes to `job_counts`: one upsert per (queue, name, state)
    /// whose count changed.
    func flushCountDeltas() throws {
        try countDeltas.drain { key, delta in
            // Bound one by one: an array of parameters would be one more allocation per key.
            let upsert = try statement(.countDelta)
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
