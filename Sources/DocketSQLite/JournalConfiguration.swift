import DocketCore

/// Where a journal lives and how it trades speed for safety.
package struct JournalConfiguration: Sendable, Hashable {
    /// Where the journal's data lives.
    package enum Location: Sendable, Hashable {
        /// A journal file; created with mode 0600 when missing. SQLite keeps `-wal` and `-shm` files next
        /// to it while it is open.
        case file(path: String)
        /// An ephemeral journal that lives as long as the ``SQLiteJournal`` and is private to it; for
        /// tests. Every in-memory journal is a separate, empty database.
        case inMemory
    }

    /// Where the journal's data lives.
    package var location: Location
    /// What a reported commit survives; ``Durability/full`` by default.
    package var durability: Durability
    /// How long a write waits for another process's lock on the journal before failing with
    /// ``JournalError/Kind/busy``.
    package var busyTimeout: Duration
    /// The largest payload, in bytes, an insert accepts.
    package var maxPayloadBytes: Int
    /// Opens an existing journal for reading only: nothing is created, migrated or checkpointed, and
    /// every write fails with ``JournalError/Kind/readOnly``. For tools that look at a journal a
    /// scheduler may be running on.
    package var readOnly = false

    /// Describes a journal.
    package init(
        location: Location, durability: Durability = .full, busyTimeout: Duration = .seconds(5),
        maxPayloadBytes: Int = JobDefaults.maxPayloadBytes
    ) {
        self.location = location
        self.durability = durability
        self.busyTimeout = busyTimeout
        self.maxPayloadBytes = maxPayloadBytes
    }

    /// The file path, or nil in memory.
    var path: String? {
        switch location {
        case .file(let path): path
        case .inMemory: nil
        }
    }
}

/// Counters of the journal's writer, to observe group commit.
package struct JournalStatistics: Sendable, Hashable {
    /// Write transactions committed, including each re-run of an operation alone after its batch failed.
    package var transactionsCommitted: Int
    /// Write operations (one insert, claim, apply or rescue call each) whose transaction committed.
    package var operationsApplied: Int
    /// The most operations one transaction carried.
    package var largestBatch: Int

    /// Creates counters; the journal creates these.
    package init(transactionsCommitted: Int = 0, operationsApplied: Int = 0, largestBatch: Int = 0) {
        self.transactionsCommitted = transactionsCommitted
        self.operationsApplied = operationsApplied
        self.largestBatch = largestBatch
    }
}
