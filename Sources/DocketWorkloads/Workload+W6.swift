import Docket

/// W6: every job fails on attempts 1 and 2 and succeeds on 3, with a 1 ms exponential backoff; the
/// clock runs from the scheduler's start until every job is terminal, and every job must end
/// completed on attempt 3.
enum RetryWorkload {
    static let policy = RetryPolicy.strategy(.exponential(base: .milliseconds(1), factor: 2, cap: .milliseconds(10), jitter: 0))
    /// Exactly three: a job that needed a fourth attempt would end discarded, so the check sees it.
    static let maxAttempts = 3
    /// Attempt histories read back one job at a time are sampled; 100,000 lookups would take long.
    static let sampledHistories = 100

    struct PlannedFailure: Error, CustomStringConvertible {
        var attempt: Int
        var description: String { "planned failure on attempt \(attempt)" }
    }

    static func w6(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .w6)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let open = try Harness.open(path: directory + "/w6.docket", Harness.configuration(options, concurrency: concurrency))
        let scheduler = open.scheduler
        // Registered before scheduling: jobs take the handler's maxAttempts when they are scheduled.
        try scheduler.register(BenchJob.self, options: HandlerOptions(retry: policy, maxAttempts: maxAttempts)) { _, context in
            if context.attempt < 3 { throw PlannedFailure(attempt: context.attempt) }
        }
        progress("W6: enqueueing \(grouped(count)) due-now jobs")
        try await Harness.enqueue(scheduler, count: count) { _ in .now }
        let before = open.journal.statistics
        let watcher = CompletionWatcher(scheduler, target: count, label: "W6")
        progress("W6: running")
        let clock = ContinuousClock()
        let start = clock.now
        let end = try await Harness.whileRunning(scheduler) { try await watcher.wait() }
        let elapsed = end - start
        let commits = open.commits(since: before)
        let check = try await verify(scheduler, count: count)
        await scheduler.close()

        var notes = "handler fails attempts 1-2, succeeds on 3; retry exponential base 1 ms x2 cap 10 ms no jitter, "
            + "maxAttempts \(maxAttempts); \(grouped(commits.transactions)) commits for \(grouped(commits.operations)) writes; "
            + "check: \(check.summary)"
        if watcher.endedByPolling { notes += "; end found by polling the journal (events dropped), good to about 1 s" }
        var row = ResultRow(
            workload: "W6", jobs: count, seconds: elapsed.seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency, notes: notes)
        row.violation = check.violation
        return row
    }

    /// Reads every job back: all completed on attempt 3, and a sample of attempt histories.
    static func verify(_ scheduler: JobScheduler, count: Int) async throws -> (summary: String, violation: String?) {
        let counts = try await scheduler.counts()
        var onAttempt3 = 0
        var wrongAttempt: [JobID] = []
        var ids: [JobID] = []
        var after: JobID?
        while true {
            let page = try await scheduler.jobs(in: .completed, after: after, limit: 1_000)
            guard let last = page.last else { break }
            for job in page {
                ids.append(job.id)
                if job.attempt == 3 { onAttempt3 += 1 } else { wrongAttempt.append(job.id) }
            }
            after = last.id
        }
        var badHistories: [JobID] = []
        let stride = max(ids.count / sampledHistories, 1)
        for index in Swift.stride(from: 0, to: ids.count, by: stride) {
            let outcomes = try await scheduler.job(ids[index])?.attempts.map(\.outcome) ?? []
            if outcomes != [.retried, .retried, .completed] { badHistories.append(ids[index]) }
        }
        let sampled = (ids.count + stride - 1) / stride
        var problems: [String] = []
        if onAttempt3 != count { problems.append("\(grouped(onAttempt3))/\(grouped(count)) completed on attempt 3") }
        if let first = wrongAttempt.first { problems.append("\(wrongAttempt.count) completed on another attempt (first: job \(first))") }
        if counts.total != counts.completed { problems.append("journal holds \(Harness.describe(counts))") }
        if let first = badHistories.first { problems.append("\(badHistories.count) sampled histories are not retried,retried,completed (first: job \(first))") }
        guard problems.isEmpty else {
            let text = "FAILED: " + problems.joined(separator: "; ")
            return (text, "W6: " + text)
        }
        return ("ok, \(grouped(count))/\(grouped(count)) completed with attempt 3; \(sampled) sampled histories retried,retried,completed", nil)
    }
}
