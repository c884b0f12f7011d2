/// A job waiting in a timer: when it is due, and how it ranks against jobs due at the same instant.
///
/// Entries order by deadline, then priority (lower first, as claims do), then id (older first), so
/// the order is total and every timer structure pops equal deadlines identically.
package struct TimerEntry: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The job.
    package var id: JobID
    /// When the job is due.
    package var deadline: Timestamp
    /// The job's claim priority; breaks ties between equal deadlines.
    package var priority: Int

    /// Creates an entry.
    package init(id: JobID, deadline: Timestamp, priority: Int) {
        self.id = id
        self.deadline = deadline
        self.priority = priority
    }

    /// Orders by (deadline, priority, id).
    package static func < (lhs: TimerEntry, rhs: TimerEntry) -> Bool {
        if lhs.deadline != rhs.deadline { return lhs.deadline < rhs.deadline }
        if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
        return lhs.id < rhs.id
    }

    /// `id@deadline/priority`, compact enough for failing-test output.
    package var description: String { "\(id)@\(deadline)/\(priority)" }
}
