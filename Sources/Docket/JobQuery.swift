import DocketCore
import Foundation

/// Which jobs ``JobScheduler/jobs(matching:after:limit:)`` lists: every filter given must hold.
///
/// A listing walks the chosen states one after another (in the order of `JobState.allCases`), each
/// in id order, oldest job first. Only the state and the cursor choose the rows a page reads, from
/// an index; every other filter is checked on the rows read, and a page reads at most
/// ``JobPage/examineLimit`` rows. A filter that matches few of a state's jobs, such as
/// ``errorContains``, therefore makes pages that come back short (even empty) with a cursor: keep
/// paging until ``JobPage/next`` is nil. States with no job of the requested ``names`` and
/// ``queues`` are skipped without reading them.
public struct JobQuery: Sendable, Hashable {
    /// Only jobs in these states; empty for every state.
    public var states: Set<JobState>
    /// Only jobs with one of these names; empty for any name.
    public var names: Set<String>
    /// Only jobs in one of these queues; empty for any queue.
    public var queues: Set<String>
    /// Only jobs the schedule of this name created; nil for any job.
    public var scheduleName: String?
    /// Only jobs due at or after this instant; nil for no lower bound.
    public var runAfter: Date?
    /// Only jobs due before this instant; nil for no upper bound.
    public var runBefore: Date?
    /// Only jobs that finished at or after this instant; nil for no lower bound. A job that has not
    /// finished never matches a finished bound.
    public var finishedAfter: Date?
    /// Only jobs that finished before this instant; nil for no upper bound.
    public var finishedBefore: Date?
    /// Only jobs whose last error contains this text, compared byte for byte (case-sensitive); nil
    /// for any job. It cannot be answered from an index: it is checked on every row a page reads.
    public var errorContains: String?

    /// A query; with no arguments it matches every job.
    public init(
        states: Set<JobState> = [], names: Set<String> = [], queues: Set<String> = [], scheduleName: String? = nil,
        runAfter: Date? = nil, runBefore: Date? = nil, finishedAfter: Date? = nil, finishedBefore: Date? = nil,
        errorContains: String? = nil
    ) {
        self.states = states
        self.names = names
        self.queues = queues
        self.scheduleName = scheduleName
        self.runAfter = runAfter
        self.runBefore = runBefore
        self.finishedAfter = finishedAfter
        self.finishedBefore = finishedBefore
        self.errorContains = errorContains
    }

    /// Whether `job` matches every filter. A listing reads the same answer from the journal; this
    /// is for filtering jobs already in hand.
    public func matches(_ job: Job) -> Bool {
        (states.isEmpty || states.contains(job.state)) && (names.isEmpty || names.contains(job.name))
            && (queues.isEmpty || queues.contains(job.queue))
            && (scheduleName.map { job.schedule?.scheduleName == $0 } ?? true)
            && (runAfter.map { Timestamp(job.runAt) >= Timestamp($0) } ?? true)
            && (runBefore.map { Timestamp(job.runAt) < Timestamp($0) } ?? true)
            && (finishedAfter.map { job.finishedAt.map(Timestamp.init) ?? .distantPast >= Timestamp($0) } ?? true)
            && (finishedBefore.map { (job.finishedAt.map(Timestamp.init) ?? .distantFuture) < Timestamp($0) } ?? true)
            && (errorContains.map { text in job.lastError.map { $0.utf8.contains(text.utf8) } ?? false } ?? true)
    }

    /// Checks the query's values as a listing does, before reading anything.
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` for a range whose upper bound is earlier than its
    ///   lower bound (``DocketError/InvalidInput/Field/dateRange``) or an empty ``errorContains``
    ///   (``DocketError/InvalidInput/Field/errorText``).
    public func validate() throws(DocketError) {
        try Self.check(runAfter, runBefore, "runAfter", "runBefore")
        try Self.check(finishedAfter, finishedBefore, "finishedAfter", "finishedBefore")
        if let text = errorContains, text.isEmpty {
            throw .invalidInput(.init(field: .errorText, value: "", reason: "the text to look for is empty"))
        }
    }

    /// The store's request for a page of this query, after checking every value.
    func request(after cursor: JobCursor?, limit: Int) throws(DocketError) -> JobListRequest {
        guard JobPage.limitRange.contains(limit) else {
            throw .invalidInput(.init(field: .pageLimit, value: "\(limit)", reason: "a page holds 1 to 10,000 jobs"))
        }
        try validate()
        let states = JobState.allCases.filter { self.states.isEmpty || self.states.contains($0) }
        if let cursor, !states.contains(cursor.state) {
            throw .invalidInput(
                .init(
                    field: .cursor, value: "\(cursor)",
                    reason: "the cursor is in state \(cursor.state), which this query does not list; pass the cursor of a page of the same query"))
        }
        var request = JobListRequest(states: states, limit: limit, examineLimit: JobPage.examineLimit)
        request.names = names.isEmpty ? nil : names.sorted()
        request.queues = queues.isEmpty ? nil : queues.sorted()
        request.scheduleName = scheduleName
        request.runAtFrom = runAfter.map(Timestamp.init)
        request.runAtUntil = runBefore.map(Timestamp.init)
        request.finishedFrom = finishedAfter.map(Timestamp.init)
        request.finishedUntil = finishedBefore.map(Timestamp.init)
        request.errorContains = errorContains
        request.after = cursor.map { JobListCursor(state: $0.state, id: $0.id) }
        return request
    }

    private static func check(_ from: Date?, _ until: Date?, _ fromName: String, _ untilName: String) throws(DocketError) {
        guard let from, let until, Timestamp(until) < Timestamp(from) else { return }
        throw .invalidInput(
            .init(
                field: .dateRange, value: "\(fromName) \(from), \(untilName) \(until)",
                reason: "\(untilName) is earlier than \(fromName)"))
    }
}
