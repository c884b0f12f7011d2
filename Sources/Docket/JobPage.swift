import DocketCore

/// One page of a listing: what ``JobScheduler/jobs(matching:after:limit:)`` returns.
public struct JobPage: Sendable, Hashable {
    /// The most rows one page reads before it stops, matches or not: what bounds the cost of a
    /// page whose filters match few jobs.
    public static let examineLimit = 10_000

    /// The page sizes a listing accepts.
    public static let limitRange = 1...10_000

    /// The matching jobs, in the listing's order, each with its attempts.
    public var jobs: [Job]
    /// Where the next page starts; nil when the listing is done. A page can hold fewer jobs than
    /// asked for, even none, and still have a next page: it stopped after ``examineLimit`` rows.
    public var next: JobCursor?
    /// How many rows the page read to find ``jobs``.
    public var examined: Int
}

/// A position in a listing, to start the next page after. Its text form (``description``) reads
/// back with ``init(_:)``, so a tool can print it and take it again.
///
/// A cursor names a state and a job id: the listing goes on in that state after that id, then in
/// the later states. It stays valid while jobs change; a job that changes state meanwhile may be
/// listed twice or not at all, as in any listing of changing data.
public struct JobCursor: Sendable, Hashable, LosslessStringConvertible {
    /// The state being walked.
    public var state: JobState
    /// The last job id read in it.
    public var id: JobID

    /// The position after job `id` of `state`.
    public init(state: JobState, id: JobID) {
        self.state = state
        self.id = id
    }

    /// `state:id`, such as `completed:1234`.
    public var description: String { "\(state.rawValue):\(id.rawValue)" }

    /// The cursor of a ``description``; nil for other text.
    public init?(_ description: String) {
        let parts = description.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let state = JobState(rawValue: String(parts[0])), let id = Int64(parts[1]) else {
            return nil
        }
        self.init(state: state, id: JobID(id))
    }
}
