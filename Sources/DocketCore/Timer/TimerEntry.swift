/// A job waiting in a timer: when it is due, and how it ranks against jobs due at the same instant.
///
/// Entries order by deadline, then priority (lower first, as claims do), then id (older first), so
/// the order is total and every timer structure pops equal deadlines identically.
public struct TimerEntry: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The job.
    public var id: JobID
    /// When the job is due.
    public var deadline: Timestamp
    /// The job's claim priority; breaks ties between equal deadlines.
    public var priority: Int

    /// Creates an entry.
    public init(id: JobID, deadline: Timestamp, priority: Int) {
        self.id = id
        self.deadline = deadline
        self.priority = priority
    }

    /// Orders by (deadline, priority, id).
    public static func < (lhs: TimerEntry, rhs: TimerEntry) -> Bool {
        if lhs.deadline != rhs.deadline { return lhs.deadline < rhs.deadline }
        if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
        return lhs.id < rhs.id
    }

    /// `id@deadline/priority`, compact enough for failing-test output.
    public var description: String { "\(id)@\(deadline)/\(priority)" }
}
