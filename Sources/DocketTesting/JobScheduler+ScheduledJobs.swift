import Docket
import DocketCore
import Foundation

extension JobScheduler {
    /// The scheduled jobs, in (run-at, id) order, with their raw payloads: for asserting on what was
    /// scheduled without running it, as Oban.Testing's `all_enqueued`.
    ///
    /// A job waiting to be retried is scheduled too; running and finished jobs are not listed.
    ///
    /// - Parameter name: only jobs of this name; nil lists every name.
    public func scheduledJobs(named name: String? = nil) async throws(DocketError) -> [PendingJob<[UInt8]>] {
        var pending: [PendingJob<[UInt8]>] = []
        var cursor: JobID?
        while true {
            let page = try await DocketError.wrapping { try await store.jobs(in: .scheduled, after: cursor, limit: 1_000) }
            for job in page where name == nil || job.name == name {
                pending.append(PendingJob(job, payload: job.payload))
            }
            guard let last = page.last, page.count == 1_000 else { break }
            cursor = last.id
        }
        return pending.sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
    }

    /// The scheduled jobs of `type`'s name with their payloads decoded, in (run-at, id) order.
    ///
    /// ```swift
    /// let welcome = try await scheduler.scheduledPayloads(of: SendWelcomeEmail.self)
    /// #expect(welcome.map(\.payload.userID) == [7])
    /// #expect(welcome.first?.runAt == clock.wallTime.addingTimeInterval(30))
    /// ```
    ///
    /// - Throws: ``Docket/DocketError`` when the journal cannot be read, and the decoder's error when a
    ///   payload of that name does not decode as `Payload`.
    public func scheduledPayloads<Payload: JobPayload>(of type: Payload.Type) async throws -> [PendingJob<Payload>] {
        let decoder = JSONDecoder()
        return try await scheduledJobs(named: Payload.jobName).map { job in
            let payload = try decoder.decode(Payload.self, from: Data(job.payload))
            return PendingJob(
                id: job.id, name: job.name, payload: payload, runAt: job.runAt, attempt: job.attempt,
                options: job.options)
        }
    }

    /// Whether a job with exactly `payload` is scheduled (at `runAt`, when given): as
    /// Oban.Testing's `assert_enqueued`, for `#expect(try await scheduler.hasScheduled(…))`.
    public func hasScheduled<Payload: JobPayload & Equatable>(_ payload: Payload, at runAt: Date? = nil) async throws -> Bool {
        try await scheduledPayloads(of: Payload.self).contains { job in
            job.payload == payload && (runAt == nil || job.runAt == runAt)
        }
    }
}

extension PendingJob {
    /// The pending job that `job` is, with `payload`.
    init(_ job: JobRecord, payload: Payload) {
        let options = JobOptions(
            uniqueKey: job.uniqueKey, uniqueScope: job.uniqueScope, priority: job.priority, queue: job.queue,
            maxAttempts: job.maxAttempts, timeout: job.timeout,
            retry: job.retryOverride.flatMap(RetryStrategy.init(storageText:)))
        self.init(id: job.id, name: job.name, payload: payload, runAt: job.runAt.date, attempt: job.attempt, options: options)
    }
}
