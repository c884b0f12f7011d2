import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct ApplyTests {
    /// A journal with one job claimed by "A" at t0: running, attempt 1.
    private func runningJob(maxAttempts: Int = 3) async throws -> (SQLiteJournal, JobID) {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob(maxAttempts: maxAttempts))
        let claimed = try await journal.claim()
        try #require(claimed.map(\.id) == [id])
        return (journal, id)
    }

    @Test func completeFinishesTheJobAndClosesItsAttempt() async throws {
        let (journal, id) = try await runningJob()
        let result = try await journal.result(of: JobChange(id: id, event: .complete, expectedAttempt: 1))
        #expect(try result.get() == .completed)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .completed)
        #expect(job.finishedAt == at(10))
        #expect(job.updatedAt == at(10))
        #expect(job.leaseOwner == nil && job.leaseExpiresAt == nil)
        #expect(job.attempt == 1)
        let attempts = try await journal.attempts(of: id)
        #expect(attempts == [
            AttemptRecord(jobID: id, attempt: 1, owner: "A", startedAt: t0, finishedAt: at(10), outcome: .completed)
        ])
        // The completed attempt is the job row's: nothing was written to the attempts table.
        #expect(try await journal.attemptRowCount() == 0)
    }

    @Test func aHistoryListsEndedAttemptsThenTheCurrentOne() async throws {
        let (journal, id) = try await runningJob()
        let retry = JobChange(id: id, event: .retry(runAt: at(20)), expectedAttempt: 1, error: "boom")
        #expect(try await journal.result(of: retry, now: at(10)).get() == .scheduled)
        #expect(try await journal.claim(owner: "B", now: at(20)).map(\.attempt) == [2])
        let retried = AttemptRecord(
            jobID: id, attempt: 1, owner: "A", startedAt: t0, finishedAt: at(10), outcome: .retried, error: "boom")
        #expect(try await journal.attempts(of: id) == [
            retried, AttemptRecord(jobID: id, attempt: 2, owner: "B", startedAt: at(20)),
        ])
        #expect(try await journal.result(of: JobChange(id: id, event: .complete, expectedAttempt: 2), now: at(25)).get()
            == .completed)
        #expect(try await journal.attempts(of: id) == [
            retried,
            AttemptRecord(jobID: id, attempt: 2, owner: "B", startedAt: at(20), finishedAt: at(25), outcome: .completed),
        ])
        #expect(try await journal.attemptRowCount() == 1)
        let job = try #require(try await journal.job(id))
        #expect(job.leaseOwner == nil && job.leaseExpiresAt == nil && job.finishedAt == at(25))
    }

    @Test func aClaimThroughApplyRecordsNoOwner() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        #expect(try await journal.result(of: JobChange(id: id, event: .claim), now: at(3)).get() == .running)
        #expect(try await journal.attempts(of: id) == [AttemptRecord(jobID: id, attempt: 1, owner: "", startedAt: at(3))])
        let discard = JobChange(id: id, event: .discard, expectedAttempt: 1, error: "no")
        #expect(try await journal.result(of: discard, now: at(4)).get() == .discarded)
        #expect(try await journal.attempts(of: id) == [
            AttemptRecord(jobID: id, attempt: 1, owner: "", startedAt: at(3), finishedAt: at(4), outcome: .discarded, error: "no")
        ])
    }

    @Test func retrySchedulesAgainKeepingTheAttempt() async throws {
        let (journal, id) = try await runningJob()
        let change = JobChange(id: id, event: .retry(runAt: at(300)), expectedAttempt: 1, error: "timeout")
        #expect(try await journal.result(of: change).get() == .scheduled)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .scheduled && job.runAt == at(300) && job.attempt == 1)
        #expect(job.lastError == "timeout" && job.finishedAt == nil && job.leaseOwner == nil)
        let attempt = try #require(try await journal.attempts(of: id).first)
        #expect(attempt.outcome == .retried && attempt.error == "timeout" && attempt.finishedAt == at(10))
    }

    @Test func discardFinishesTheJobWithItsError() async throws {
        let (journal, id) = try await runningJob()
        let change = JobChange(id: id, event: .discard, expectedAttempt: 1, error: "bad input")
        #expect(try await journal.result(of: change).get() == .discarded)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .discarded && job.finishedAt == at(10) && job.lastError == "bad input")
        let attempt = try #require(try await journal.attempts(of: id).first)
        #expect(attempt.outcome == .discarded && attempt.error == "bad input")
    }

    @Test(arguments: [
        (JobEvent.snooze(runAt: at(120)), AttemptOutcome.snoozed),
        (JobEvent.release(runAt: at(120)), AttemptOutcome.released),
    ])
    func snoozeAndReleaseGiveTheAttemptBack(event: JobEvent, outcome: AttemptOutcome) async throws {
        let (journal, id) = try await runningJob()
        #expect(try await journal.result(of: JobChange(id: id, event: event, expectedAttempt: 1)).get() == .scheduled)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .scheduled && job.attempt == 0 && job.runAt == at(120) && job.leaseOwner == nil)
        #expect(try await journal.attempts(of: id).map(\.outcome) == [outcome])
        // The next claim carries the same attempt number again.
        let again = try await journal.claim(now: at(120))
        #expect(again.map(\.attempt) == [1])
        #expect(try await journal.attempts(of: id).map(\.attempt) == [1, 1])
    }

    @Test func cancelFinishesAScheduledJob() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob(runAt: at(60)))
        #expect(try await journal.result(of: JobChange(id: id, event: .cancel)).get() == .cancelled)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .cancelled && job.finishedAt == at(10))
        #expect(try await journal.attempts(of: id).isEmpty)
    }

    @Test func rescheduleMovesTheRunAt() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob(runAt: at(600)))
        #expect(try await journal.result(of: JobChange(id: id, event: .reschedule(runAt: at(5)))).get() == .scheduled)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .scheduled && job.runAt == at(5) && job.updatedAt == at(10))
    }

    @Test func applyReturnsOneResultPerChangeInOrder() async throws {
        let (journal, id) = try await runningJob()
        let unknown = JobID(999)
        let results = try await journal.apply(
            [JobChange(id: unknown, event: .cancel), JobChange(id: id, event: .complete)], now: at(10))
        #expect(results.count == 2)
        #expect(throws: TransitionRefusal(jobID: unknown, event: .cancel, reason: .notFound)) { try results[0].get() }
        #expect(try results[1].get() == .completed)
    }

    // MARK: Refusals: nothing changes, and the caller learns why.

    /// Applies `change`, expects `reason`, and checks that neither the job nor its attempts changed.
    private func expectRefusal(
        _ journal: SQLiteJournal, _ change: JobChange, _ reason: TransitionRefusal.Reason
    ) async throws {
        let before = try await journal.job(change.id)
        let attemptsBefore = try await journal.attempts(of: change.id)
        let result = try await journal.result(of: change, now: at(50))
        #expect(throws: TransitionRefusal(jobID: change.id, event: change.event.kind, reason: reason)) {
            try result.get()
        }
        #expect(try await journal.job(change.id) == before)
        #expect(try await journal.attempts(of: change.id) == attemptsBefore)
    }

    @Test func completingACancelledJobIsRefused() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        try await journal.apply(JobChange(id: id, event: .cancel), now: at(1))
        try await expectRefusal(journal, JobChange(id: id, event: .complete), .wrongState(.cancelled))
    }

    @Test func retryWithAttemptsSpentIsRefused() async throws {
        let (journal, id) = try await runningJob(maxAttempts: 1)
        try await expectRefusal(
            journal, JobChange(id: id, event: .retry(runAt: at(60)), expectedAttempt: 1, error: "x"),
            .attemptsExhausted(attempt: 1, maxAttempts: 1))
    }

    @Test func cancellingARunningJobEndsItAndRecordsItsAttempt() async throws {
        let (journal, id) = try await runningJob()
        #expect(try await journal.result(of: JobChange(id: id, event: .cancel), now: at(10)).get() == .cancelled)
        let job = try #require(try await journal.job(id))
        #expect(job.state == .cancelled && job.finishedAt == at(10) && job.attempt == 1)
        #expect(job.leaseOwner == nil && job.leaseExpiresAt == nil)
        #expect(try await journal.attempts(of: id) == [
            AttemptRecord(jobID: id, attempt: 1, owner: "A", startedAt: t0, finishedAt: at(10), outcome: .cancelled)
        ])
        #expect(try await journal.stillRunning([id]).isEmpty)
    }

    @Test func cancellingAScheduledJobRecordsNoAttempt() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        #expect(try await journal.result(of: JobChange(id: id, event: .cancel), now: at(10)).get() == .cancelled)
        #expect(try await journal.attemptRowCount() == 0)
        try await expectRefusal(journal, JobChange(id: id, event: .cancel), .wrongState(.cancelled))
    }

    @Test func stillRunningNamesOnlyTheRunningJobs() async throws {
        let (journal, running) = try await runningJob()
        let scheduled = try await journal.insertID(newJob())
        #expect(try await journal.stillRunning([running, scheduled, JobID(999)]) == [running])
    }

    @Test func aWrongExpectedAttemptIsRefused() async throws {
        let (journal, id) = try await runningJob()
        try await expectRefusal(
            journal, JobChange(id: id, event: .complete, expectedAttempt: 2), .attemptMismatch(expected: 2, actual: 1))
    }

    @Test func anUnknownIDIsRefused() async throws {
        let journal = try memoryJournal()
        _ = try await journal.insertID(newJob())
        try await expectRefusal(journal, JobChange(id: JobID(42), event: .complete), .notFound)
        #expect(try await journal.countsByState() == [.scheduled: 1])
    }

    @Test func aJobIsClaimedOnlyOnce() async throws {
        let (journal, id) = try await runningJob()
        #expect(try await journal.claim(owner: "B", now: at(1)).isEmpty)
        let job = try #require(try await journal.job(id))
        #expect(job.leaseOwner == "A" && job.attempt == 1)
        #expect(try await journal.attempts(of: id).count == 1)
    }

    @Test func theSingleApplyThrowsTheRefusal() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        await #expect(throws: TransitionRefusal(jobID: id, event: .complete, reason: .wrongState(.scheduled))) {
            try await journal.apply(JobChange(id: id, event: .complete), now: at(1))
        }
    }
}
