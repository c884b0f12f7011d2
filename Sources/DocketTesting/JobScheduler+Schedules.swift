import Docket
import DocketCore

extension JobScheduler {
    /// Reconciles the journal with the declared schedules, as ``Docket/JobScheduler/run()`` does when
    /// it starts: for tests that fire schedules without running the scheduler.
    ///
    /// - Throws: as `run()` would: ``Docket/DocketError/scheduleExists(name:)`` when a created
    ///   schedule holds a declared name, ``Docket/DocketError/storage(_:)`` when the journal fails.
    public func reconcileDeclaredSchedulesNow() async throws(DocketError) {
        try await reconcileDeclaredSchedules()
    }

    /// Fires every schedule due by the scheduler's clock, as the run loop does, until none is due,
    /// and returns the jobs the firings created (in the order they were created). Run the jobs with
    /// ``drainDueJobs(includingScheduled:recursively:)``.
    ///
    /// ```swift
    /// clock.advance(by: .seconds(3600))
    /// let jobs = try await scheduler.fireDueSchedules()
    /// #expect(jobs.count == 1)
    /// ```
    ///
    /// - Throws: ``Docket/DocketError/storage(_:)`` when the journal fails.
    @discardableResult
    public func fireDueSchedules() async throws(DocketError) -> [JobID] {
        var created: [JobID] = []
        while true {
            let report = try await firingPass()
            created += report.created.map(\.id)
            if !report.hasMore { return created }
        }
    }
}
