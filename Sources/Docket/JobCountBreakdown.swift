import DocketCore

/// Jobs counted by state, overall, per queue and per name: what ``JobScheduler/countBreakdown()``
/// returns. All three come from one read of the journal, so they agree with each other.
public struct JobCountBreakdown: Sendable, Hashable {
    /// Every job, by state.
    public var total: JobCounts
    /// The jobs of each queue that has any, by state.
    public var byQueue: [String: JobCounts]
    /// The jobs of each name that has any, by state.
    public var byName: [String: JobCounts]

    /// A breakdown of the given counts.
    public init(total: JobCounts = JobCounts(), byQueue: [String: JobCounts] = [:], byName: [String: JobCounts] = [:]) {
        self.total = total
        self.byQueue = byQueue
        self.byName = byName
    }

    /// The breakdown of a store's (queue, name, state) counts; keys with no jobs leave no entry.
    init(_ counts: [JobCountKey: Int]) {
        self.init()
        for (key, count) in counts where count != 0 {
            total[key.state] += count
            byQueue[key.queue, default: JobCounts()][key.state] += count
            byName[key.name, default: JobCounts()][key.state] += count
        }
    }
}
