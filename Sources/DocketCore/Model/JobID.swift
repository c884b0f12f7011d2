/// The identity of a job in a journal.
///
/// Ids are assigned by the journal when a job is inserted and are never reused within one journal.
/// They increase with insertion order, which makes them the last tie-breaker of claim order.
public struct JobID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The journal's integer key.
    public var rawValue: Int64

    /// Wraps a journal key.
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Wraps a journal key.
    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Ids order by insertion.
    public static func < (lhs: JobID, rhs: JobID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The integer key as text.
    public var description: String { String(rawValue) }
}
