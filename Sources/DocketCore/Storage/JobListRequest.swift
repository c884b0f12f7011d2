/// Which jobs a listing reads, and where its page starts.
///
/// A listing walks the requested states one after another, each in id order; within a state only
/// the state and the cursor pick the rows to read, and every other filter is checked on the rows
/// read. A page therefore stops at `limit` matches or after `examineLimit` rows, whichever comes
/// first, so its cost is bounded however rare the matches; a page that stops early still carries a
/// cursor, and the listing goes on from there.
package struct JobListRequest: Sendable, Hashable {
    /// The states to walk, in this order, each once; never empty.
    package var states: [JobState]
    /// Only jobs with one of these names; nil for any.
    package var names: [String]?
    /// Only jobs in one of these queues; nil for any.
    package var queues: [String]?
    /// Only jobs a schedule of this name created; nil for any.
    package var scheduleName: String?
    /// Only jobs whose run-at is at or after the first bound and before the second, when given.
    package var runAtFrom: Timestamp?
    package var runAtUntil: Timestamp?
    /// Only jobs that finished at or after the first bound and before the second, when given; a job
    /// that has not finished matches neither.
    package var finishedFrom: Timestamp?
    package var finishedUntil: Timestamp?
    /// Only jobs whose last error contains this text (byte for byte, case-sensitive); nil for any.
    package var errorContains: String?
    /// Start strictly after this position; nil for the first page.
    package var after: JobListCursor?
    /// At most this many jobs, above zero.
    package var limit: Int
    /// At most this many rows read, above zero and at least `limit`.
    package var examineLimit: Int

    /// A request for the first page of every job in `states`.
    package init(states: [JobState], limit: Int, examineLimit: Int) {
        self.states = states
        self.limit = limit
        self.examineLimit = examineLimit
    }
}

/// A position in a listing: the state being walked and the last id read in it.
package struct JobListCursor: Sendable, Hashable {
    /// The state the next page continues in.
    package var state: JobState
    /// The last id read in that state; the next page starts after it.
    package var id: JobID

    /// The position after job `id` of `state`.
    package init(state: JobState, id: JobID) {
        self.state = state
        self.id = id
    }
}

/// One page of a listing.
package struct JobListPage: Sendable {
    /// The matching jobs, in the listing's order.
    package var jobs: [JobRecord]
    /// Where the next page starts; nil when the listing has no more rows to read.
    package var next: JobListCursor?
    /// How many rows the page read to find `jobs`.
    package var examined: Int

    /// A page of `jobs` that read `examined` rows.
    package init(jobs: [JobRecord], next: JobListCursor?, examined: Int) {
        self.jobs = jobs
        self.next = next
        self.examined = examined
    }
}

/// What a job-count row counts: the jobs of one name, in one queue and one state.
package struct JobCountKey: Sendable, Hashable {
    package var queue: String
    package var name: String
    package var state: JobState

    /// The key of the jobs named `name` in `queue` and `state`.
    package init(queue: String, name: String, state: JobState) {
        self.queue = queue
        self.name = name
        self.state = state
    }
}
