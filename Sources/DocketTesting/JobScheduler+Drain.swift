import Docket
import DocketCore

extension JobScheduler {
    /// Runs every due job now, inline and one at a time, without the run loop, and says what happened:
    /// the test-side counterpart of ``Docket/JobScheduler/run()``, as Oban.Testing's `drain_queue`.
    ///
    /// Jobs run in (priority, run-at, id) order. Each attempt is claimed, run and recorded exactly as
    /// the run loop does it: the handler gets the same ``Docket/JobContext``, a failure is retried or
    /// discarded under the job's retry policy and max attempts, ``Docket/JobControl`` snoozes,
    /// retries and discards are honoured, the journal records every end, and
    /// ``Docket/JobScheduler/events()`` reports it. Only jobs with a registered handler run.
    ///
    /// ```swift
    /// let result = try await scheduler.drainDueJobs()
    /// #expect(result.succeeded == 1)
    /// ```
    ///
    /// - Parameters:
    ///   - includingScheduled: also run jobs due later, as if they were due now. With `recursively`,
    ///     that includes retries and snoozes, whatever their delay.
    ///   - recursively: after a pass, run again what became due during it (retries and snoozes due by
    ///     the scheduler's clock, jobs that handlers scheduled), until a pass runs nothing. Without
    ///     it, each job due when the drain began runs once. A handler that snoozes for ever keeps a
    ///     recursive drain going for ever.
    /// - Returns: every attempt that ran, with its outcome and the counts of each outcome.
    /// - Throws: ``DrainError/schedulerIsRunning`` while ``Docket/JobScheduler/run()`` or another
    ///   drain runs this scheduler's jobs (nothing ran), and ``DrainError/scheduler(_:)`` for a
    ///   journal failure or another process running the journal. Cancelling the task stops the drain
    ///   between attempts: claimed jobs it did not run are given back, and the attempts that ran are
    ///   returned.
    public func drainDueJobs(
        includingScheduled: Bool = false, recursively: Bool = false
    ) async throws(DrainError) -> DrainResult {
        let attempts: [DrainedAttempt]
        do {
            attempts = try await drainJobs(includingScheduled: includingScheduled, recursively: recursively)
        } catch {
            switch error {
            case .busy: throw .schedulerIsRunning
            case .scheduler(let failure): throw .scheduler(failure)
            }
        }
        return DrainResult(jobs: attempts.map(DrainedJob.init(_:)))
    }
}

extension DrainedJob {
    init(_ attempt: DrainedAttempt) {
        let outcome: Outcome
        switch attempt.recorded {
        case .failure(let refusal):
            outcome = .notRecorded(reason: String(describing: refusal))
        case .success:
            switch attempt.change.event {
            case .complete: outcome = .succeeded
            case .retry(let runAt): outcome = .retrying(at: runAt.date)
            case .discard: outcome = .discarded
            case .snooze(let runAt): outcome = .snoozed(until: runAt.date)
            case .release(let runAt), .rescue(let runAt), .reschedule(let runAt): outcome = .givenBack(at: runAt.date)
            case .claim, .cancel, .revive: outcome = .notRecorded(reason: "an attempt cannot end by \(attempt.change.event.kind)")
            }
        }
        self.init(
            id: attempt.job.id, name: attempt.job.name, attempt: attempt.job.attempt, outcome: outcome,
            error: attempt.change.error)
    }
}
