import Docket

/// W2: N due-now jobs and a no-op handler; the scheduler starts once they are enqueued, and the clock
/// runs from its start until the journal holds every job completed.
enum DrainWorkload {
    /// The concurrencies W2 runs at without `--concurrency`: the library's default and 64.
    static func concurrencies(_ options: Options) -> [Int] {
        options.concurrency.map { [$0] } ?? [SchedulerConfiguration().maxConcurrentJobs, 64]
    }

    static func w2(_ options: Options, concurrency: Int, prunable: Int = 0, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w2)
        let queues = Harness.queueNames(options)
        let label = "W2 c=\(concurrency)" + (queues.isEmpty ? "" : " queues=\(queues.count)") + (options.dashboard ? " dashboard" : "")
        let path = directory + "/w2.docket"
        var prefillSeconds = 0.0
        if prunable > 0 {
            progress("\(label): prefilling \(grouped(prunable)) ended jobs past retention")
            prefillSeconds = try await RetentionWorkload.prefill(path: path, count: prunable, options: options)
        }
        let open = try Harness.open(path: path, Harness.configuration(options, concurrency: concurrency))
        let scheduler = open.scheduler
        // A no-op handler: registered by name, so the payload is not decoded (a typed handler adds
        // a JSONDecoder run per job, the application's cost rather than the scheduler's).
        try scheduler.register(BenchJob.jobName) { _ in }
        progress("\(label): enqueueing \(grouped(count)) due-now jobs")
        try await Harness.enqueue(scheduler, count: count, queues: queues) { _ in .now }
        let before = open.journal.statistics
        let watcher = CompletionWatcher(scheduler, target: count, label: label)
        progress("\(label): running")
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = ProcessCPU.seconds()
        var dashboard: DashboardWatcher.Report?
        let end: ContinuousClock.Instant
        if options.dashboard {
            (end, dashboard) = try await DashboardWatcher.watching(path: path) {
                try await Harness.whileRunning(scheduler) { try await watcher.wait() }
            }
        } else {
            end = try await Harness.whileRunning(scheduler) { try await watcher.wait() }
        }
        let cpuMicrosPerJob = (ProcessCPU.seconds() - cpuBefore) * 1e6 / Double(max(count, 1))
        let elapsed = end - start
        let commits = open.commits(since: before)
        let counts = try await scheduler.counts()
        await scheduler.close()

        // Each tick of the scheduler is one write: it records the attempts that ended and claims for
        // the free slots in one transaction, so commits per job is the figure that matters.
        var notes = "enqueued before start with the batch API (1,000 per call); no-op handler registered by name (no payload decoding); "
            + "\(grouped(commits.transactions)) commits, \(fixed(Double(count) / Double(max(commits.transactions, 1)))) jobs per commit "
            + "(one tick = ended attempts + next claim in one transaction; claim batch size \(SchedulerConfiguration().claimBatchSize)); "
            + "CPU \(fixed(cpuMicrosPerJob)) µs per job (all threads, user + system)"
        if options.metrics { notes += "; DocketMetrics middleware, no metrics backend" }
        if let dashboard { notes += "; " + dashboard.note + " (its CPU is in this process's)" }
        if !queues.isEmpty {
            notes += "; \(queues.count) declared queues, each limited to \(concurrency), jobs spread over them in turn"
        }
        if watcher.endedByPolling { notes += "; end found by polling the journal (events dropped), good to about 1 s" }
        if prunable > 0 {
            let left = try RetentionWorkload.oldJobsLeft(path: path)
            notes += RetentionWorkload.prunedNote(prefilled: prunable, left: left, seconds: prefillSeconds)
        }
        var row = ResultRow(
            workload: "W2", jobs: count, seconds: elapsed.seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency, notes: notes)
        let oldCompleted = prunable > 0 ? try RetentionWorkload.oldJobsLeft(path: path, completedOnly: true) : 0
        if counts[.completed] - oldCompleted != count {
            row.violation = "\(label): expected \(count) completed jobs, journal has \(Harness.describe(counts))"
        }
        return row
    }
}
