import DocketCore
import Logging

extension JobScheduler {
    /// Deletes the ended jobs that ``SchedulerConfiguration/retention`` no longer keeps, with their
    /// attempts and payloads, now; with `dryRun`, only counts them.
    ///
    /// A running scheduler prunes on its own (see ``JobRetention``); call this from a process that
    /// only schedules and inspects, from a maintenance command, or to see what the next passes will
    /// delete. It works with or without ``run()``, from any process that opened the journal. The
    /// cutoffs are read once, at the call: jobs ending meanwhile are left to a later pass. Jobs go in
    /// batches of ``JobRetention/batchSize``, one short transaction each, so that a running
    /// scheduler's claims go on in between; the call returns when no batch is left.
    ///
    /// Pruning never touches a scheduled or running job. A unique key held by a completed job
    /// (`UniqueScope.whileActiveOrCompleted`) is free again once that job is pruned: a later job
    /// with that key is then scheduled instead of reported as a duplicate. A schedule whose latest
    /// job was pruned fires as if that job had ended.
    ///
    /// A journal created by this version of Docket gives the freed space back to the file system
    /// as it prunes; an older journal reuses it for new jobs (README, Retention, for the one-time
    /// step that changes that).
    ///
    /// - Returns: the jobs deleted (or, for a dry run, that would be), per state.
    /// - Throws: ``DocketError/invalidInput(_:)`` (field ``DocketError/InvalidInput/Field/retention``)
    ///   for a retention the configuration got wrong, before anything is read;
    ///   ``DocketError/storage(_:)`` when the journal cannot be read or written (what earlier
    ///   batches deleted stays deleted).
    public func prune(dryRun: Bool = false) async throws(DocketError) -> PruneReport {
        let retention = configuration.retention
        try retention.validate()
        let request = retention.request(now: now(), vacuumPages: Self.vacuumPagesPerBatch)
        guard !request.cutoffs.isEmpty else { return PruneReport(dryRun: dryRun) }
        if dryRun {
            return try await DocketError.wrapping { PruneReport(try await store.prunable(request), dryRun: true) }
        }
        var report = PruneReport()
        var batch: PruneBatch
        repeat {
            let request = request
            batch = try await DocketError.wrapping { try await store.prune(request) }
            report.add(batch)
            services.reportPruned(batch)
        } while batch.isFull
        services.logPrune(report)
        return report
    }

    /// Free pages handed back to the file system after each batch: 1,024 pages (4 MB at SQLite's
    /// default page size) at most, so a batch's transaction stays short; a batch of 500 small jobs
    /// frees far fewer.
    static let vacuumPagesPerBatch = 1_024
}

extension SchedulerServices {
    /// Counts a batch's deletions in the metrics and announces each deleted job to subscribers.
    func reportPruned(_ batch: PruneBatch) {
        metrics?.record(batch)
        guard hub.wants(.pruned) else { return }
        for job in batch.jobs { emit(.pruned, jobID: job.id, jobName: job.name) }
    }

    /// One info line per pass that deleted something; a pass that deleted nothing says nothing.
    func logPrune(_ report: PruneReport) {
        guard report.total > 0 else { return }
        logger.info(
            "docket pruned ended jobs",
            metadata: [
                "docket.pruned": "\(report.total)", "docket.pruned.completed": "\(report.completed)",
                "docket.pruned.cancelled": "\(report.cancelled)", "docket.pruned.discarded": "\(report.discarded)",
            ])
    }
}
