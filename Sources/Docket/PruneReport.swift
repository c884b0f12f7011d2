import DocketCore

/// What a prune deleted, or would delete on a dry run: ended jobs per state, each with its attempts.
public struct PruneReport: Sendable, Hashable, CustomStringConvertible {
    /// Completed jobs.
    public var completed: Int
    /// Cancelled jobs.
    public var cancelled: Int
    /// Discarded jobs.
    public var discarded: Int
    /// Whether this counts what a prune would delete, and nothing was deleted.
    public var dryRun: Bool

    /// A report of the given counts.
    public init(completed: Int = 0, cancelled: Int = 0, discarded: Int = 0, dryRun: Bool = false) {
        self.completed = completed
        self.cancelled = cancelled
        self.discarded = discarded
        self.dryRun = dryRun
    }

    /// Every job counted, whatever its state.
    public var total: Int { completed + cancelled + discarded }

    /// The count of `state`: zero for the states that have not ended, which are never pruned.
    public subscript(state: JobState) -> Int {
        switch state {
        case .scheduled, .running: 0
        case .completed: completed
        case .cancelled: cancelled
        case .discarded: discarded
        }
    }

    /// `pruned 12 (completed 10, cancelled 0, discarded 2)`, or `would prune …` for a dry run.
    public var description: String {
        "\(dryRun ? "would prune" : "pruned") \(total) (completed \(completed), cancelled \(cancelled), discarded \(discarded))"
    }

    /// The counts of a by-state dictionary, absent states counting zero.
    init(_ byState: [JobState: Int], dryRun: Bool) {
        self.init(
            completed: byState[.completed] ?? 0, cancelled: byState[.cancelled] ?? 0,
            discarded: byState[.discarded] ?? 0, dryRun: dryRun)
    }

    /// Adds a batch's counts.
    mutating func add(_ batch: PruneBatch) {
        completed += batch.deleted[.completed] ?? 0
        cancelled += batch.deleted[.cancelled] ?? 0
        discarded += batch.deleted[.discarded] ?? 0
    }
}
