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
    /// - Throws: ``DocketError/storage(_:)`` when the journal cannot be read.
    public func counts() async throws(DocketError) -> JobCounts {
        try await DocketError.wrapping { JobCounts(try await store.countsByState()) }
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
