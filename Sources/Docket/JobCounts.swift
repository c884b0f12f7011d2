import DocketCore

/// How many jobs of a journal are in each state, zeros included: what ``JobScheduler/counts()``
/// returns.
public struct JobCounts: Sendable, Hashable {
    /// Jobs waiting for their time or for a slot.
    public var scheduled: Int
    /// Jobs with an attempt in progress (or claimed and about to start).
    public var running: Int
    /// Jobs whose handler returned normally.
    public var completed: Int
    /// Jobs whose attempts are spent or whose handler refused them.
    public var discarded: Int
    /// Jobs cancelled while scheduled.
    public var cancelled: Int

    /// Counts per state.
    public init(scheduled: Int = 0, running: Int = 0, completed: Int = 0, discarded: Int = 0, cancelled: Int = 0) {
        self.scheduled = scheduled
        self.running = running
        self.completed = completed
        self.discarded = discarded
        self.cancelled = cancelled
    }

    /// Every job, whatever its state.
    public var total: Int { scheduled + running + completed + discarded + cancelled }

    /// The count of jobs in `state`.
    public subscript(state: JobState) -> Int {
        get {
            switch state {
            case .scheduled: scheduled
            case .running: running
            case .completed: completed
            case .discarded: discarded
            case .cancelled: cancelled
            }
        }
        set {
            switch state {
            case .scheduled: scheduled = newValue
            case .running: running = newValue
            case .completed: completed = newValue
            case .discarded: discarded = newValue
            case .cancelled: cancelled = newValue
            }
        }
    }

    /// The counts of a by-state dictionary, absent states counting zero.
    init(_ byState: [JobState: Int]) {
        self.init()
        for (state, count) in byState { self[state] = count }
    }
}
