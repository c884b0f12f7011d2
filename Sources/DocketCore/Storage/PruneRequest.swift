/// What to prune: ended jobs whose `finishedAt` is before their state's cutoff.
package struct PruneRequest: Sendable, Hashable {
    /// Per ended state, the instant before which a job of that state that finished is deleted.
    /// States absent here are kept; ``JobState/scheduled`` and ``JobState/running`` are never
    /// deleted, whatever this says.
    package var cutoffs: [JobState: Timestamp]
    /// The most jobs one batch deletes: one write transaction, with their attempts.
    package var batchSize: Int
    /// Pages of free space handed back to the file system after a batch that deleted something, when
    /// the store can (SQLite's `incremental_vacuum`); 0 hands back none.
    package var vacuumPages: Int

    /// A request to prune per `cutoffs`, `batchSize` jobs per batch.
    package init(cutoffs: [JobState: Timestamp], batchSize: Int, vacuumPages: Int = 0) {
        self.cutoffs = cutoffs.filter { $0.key.isTerminal }
        self.batchSize = max(1, batchSize)
        self.vacuumPages = max(0, vacuumPages)
    }
}

/// What one prune batch (or a count of what one would delete) found.
package struct PruneBatch: Sendable, Hashable {
    /// Jobs deleted (or that would be) per state; states with none are absent.
    package var deleted: [JobState: Int]
    /// Whether the batch was full: more jobs may be past their cutoff.
    package var isFull: Bool
    /// The jobs a batch deleted, for the scheduler's events; empty for a count.
    package var jobs: [PrunedJob] = []

    /// A batch result.
    package init(deleted: [JobState: Int] = [:], isFull: Bool = false) {
        self.deleted = deleted
        self.isFull = isFull
    }

    /// Jobs deleted, all states together.
    package var total: Int { deleted.values.reduce(0, +) }
}

/// A job a prune batch deleted.
package struct PrunedJob: Sendable, Hashable {
    package var id: JobID
    package var name: String

    package init(id: JobID, name: String) {
        self.id = id
        self.name = name
    }
}
