import DocketCore

extension JobScheduler {
    /// A job with its attempts, or nil for an unknown id.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal cannot be read.
    public func job(_ id: JobID) async throws(DocketError) -> Job? {
        try await DocketError.wrapping {
            guard let record = try await store.job(id) else { return nil }
            return Job(record, attempts: try await store.attempts(of: id))
        }
    }

    /// How many jobs are in each state.
    ///
    /// The journal keeps these counts as it changes jobs, so the answer costs a few rows whatever
    /// the number of jobs, and is exact in any process that reads the journal.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal cannot be read.
    public func counts() async throws(DocketError) -> JobCounts {
        try await DocketError.wrapping { JobCounts(try await store.countsByState()) }
    }

    /// How many jobs are in each state, overall, per queue and per name, from one read.
    ///
    /// As cheap as ``counts()``: its cost grows with the queues and names in use, not with the jobs.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal cannot be read.
    public func countBreakdown() async throws(DocketError) -> JobCountBreakdown {
        try await DocketError.wrapping { JobCountBreakdown(try await store.jobCounts()) }
    }

    /// How late the scheduled job due first is: the time from its run-at until now (by
    /// ``SchedulerConfiguration/wallClock``), or nil when no scheduled job is due yet. A lateness
    /// that keeps growing says the jobs wait for slots or for a running scheduler.
    ///
    /// A few index reads, whatever the number of jobs.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal cannot be read.
    public func oldestDueLateness() async throws(DocketError) -> Duration? {
        try await DocketError.wrapping {
            guard let runAt = try await store.earliestScheduledRunAt() else { return nil }
            let now = services.now()
            return runAt <= now ? now.duration(since: runAt) : nil
        }
    }

    /// One page of the jobs `query` matches, each with its attempts, after `cursor` (the previous
    /// page's ``JobPage/next``; nil for the first page).
    ///
    /// The listing's order is by state (in the order of `JobState.allCases`), then by id: each
    /// page continues an index range of one state, so the first page and the thousandth cost the
    /// same. Filters other than the states are checked on the rows read, at most
    /// ``JobPage/examineLimit`` per page; see ``JobQuery``. A page holds at most `limit` jobs and may
    /// hold fewer with more to come: the listing is done when ``JobPage/next`` is nil.
    ///
    /// The jobs and their attempts are read in two statements, as ``jobs(in:after:limit:)`` reads
    /// them.
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` for a `limit` outside ``JobPage/limitRange``
    ///   (``DocketError/InvalidInput/Field/pageLimit``), a range whose upper bound is earlier than
    ///   its lower bound (``DocketError/InvalidInput/Field/dateRange``) or an empty
    ///   ``JobQuery/errorContains`` (``DocketError/InvalidInput/Field/errorText``), or a cursor in a
    ///   state the query does not list (``DocketError/InvalidInput/Field/cursor``);
    ///   ``DocketError/storage(_:)`` when the journal cannot be read.
    public func jobs(matching query: JobQuery, after cursor: JobCursor? = nil, limit: Int = 100) async throws(DocketError)
        -> JobPage
    {
        let request = try query.request(after: cursor, limit: limit)
        return try await DocketError.wrapping {
            let page = try await store.jobs(matching: request)
            let attempts = try await store.attempts(ofJobs: page.jobs.map(\.id))
            return JobPage(
                jobs: page.jobs.map { Job($0, attempts: attempts[$0.id] ?? []) },
                next: page.next.map { JobCursor(state: $0.state, id: $0.id) }, examined: page.examined)
        }
    }

    /// Jobs in `state`, in id order, after `afterID`, at most `limit`, each with its attempts: for
    /// paging through a journal.
    ///
    /// A page is read in two statements, the jobs and then all their attempts, so a job that changes
    /// in between may show an attempt its other fields do not count yet. Read a job again with
    /// ``job(_:)`` when that matters.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal cannot be read.
    public func jobs(in state: JobState, after afterID: JobID? = nil, limit: Int = 100) async throws(DocketError) -> [Job] {
        try await DocketError.wrapping {
            let records = try await store.jobs(in: state, after: afterID, limit: max(0, limit))
            let attempts = try await store.attempts(ofJobs: records.map(\.id))
            return records.map { Job($0, attempts: attempts[$0.id] ?? []) }
        }
    }
}
