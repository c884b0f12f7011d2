import DocketCore
import Testing

/// Every (state, event kind) pair, for a job with attempts left and for one whose attempts are spent.
@Suite struct JobLifecycleTests {
    enum Expected: Equatable, CustomStringConvertible {
        case becomes(JobState, attempt: Int)
        case refused(TransitionRefusal.Reason)

        var description: String {
            switch self {
            case .becomes(let state, let attempt): "\(state) on attempt \(attempt)"
            case .refused(let reason): "refused: \(reason)"
            }
        }
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var state: JobState
        var kind: JobEvent.Kind
        /// For a job on attempt 1 of 3.
        var withAttemptsLeft: Expected
        /// For a job on attempt 3 of 3.
        var withAttemptsSpent: Expected

        var testDescription: String { "\(state) × \(kind)" }
    }

    static let max = 3

    /// Written out by hand, not derived from `expectedState`, so a change to the machine shows up here.
    static let table: [Row] = {
        let scheduledRows: [Row] = [
            Row(state: .scheduled, kind: .claim, withAttemptsLeft: .becomes(.running, attempt: 2),
                withAttemptsSpent: .refused(.attemptsExhausted(attempt: 3, maxAttempts: 3))),
            Row(state: .scheduled, kind: .complete, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
            Row(state: .scheduled, kind: .retry, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
            Row(state: .scheduled, kind: .discard, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
            Row(state: .scheduled, kind: .snooze, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
            Row(state: .scheduled, kind: .release, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
            Row(state: .scheduled, kind: .rescue, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
            Row(state: .scheduled, kind: .cancel, withAttemptsLeft: .becomes(.cancelled, attempt: 1),
                withAttemptsSpent: .becomes(.cancelled, attempt: 3)),
            Row(state: .scheduled, kind: .reschedule, withAttemptsLeft: .becomes(.scheduled, attempt: 1),
                withAttemptsSpent: .becomes(.scheduled, attempt: 3)),
            Row(state: .scheduled, kind: .revive, withAttemptsLeft: .refused(.wrongState(.scheduled)),
                withAttemptsSpent: .refused(.wrongState(.scheduled))),
        ]
        let runningRows: [Row] = [
            Row(state: .running, kind: .claim, withAttemptsLeft: .refused(.wrongState(.running)),
                withAttemptsSpent: .refused(.wrongState(.running))),
            Row(state: .running, kind: .complete, withAttemptsLeft: .becomes(.completed, attempt: 1),
                withAttemptsSpent: .becomes(.completed, attempt: 3)),
            Row(state: .running, kind: .retry, withAttemptsLeft: .becomes(.scheduled, attempt: 1),
                withAttemptsSpent: .refused(.attemptsExhausted(attempt: 3, maxAttempts: 3))),
            Row(state: .running, kind: .discard, withAttemptsLeft: .becomes(.discarded, attempt: 1),
                withAttemptsSpent: .becomes(.discarded, attempt: 3)),
            // Snooze and release give the attempt back, so even a spent job may run again.
            Row(state: .running, kind: .snooze, withAttemptsLeft: .becomes(.scheduled, attempt: 0),
                withAttemptsSpent: .becomes(.scheduled, attempt: 2)),
            Row(state: .running, kind: .release, withAttemptsLeft: .becomes(.scheduled, attempt: 0),
                withAttemptsSpent: .becomes(.scheduled, attempt: 2)),
            // Rescue keeps the interrupted attempt counted.
            Row(state: .running, kind: .rescue, withAttemptsLeft: .becomes(.scheduled, attempt: 1),
                withAttemptsSpent: .becomes(.discarded, attempt: 3)),
            // Cancel ends the running attempt; the attempt stays counted.
            Row(state: .running, kind: .cancel, withAttemptsLeft: .becomes(.cancelled, attempt: 1),
                withAttemptsSpent: .becomes(.cancelled, attempt: 3)),
            Row(state: .running, kind: .reschedule, withAttemptsLeft: .refused(.wrongState(.running)),
                withAttemptsSpent: .refused(.wrongState(.running))),
            Row(state: .running, kind: .revive, withAttemptsLeft: .refused(.wrongState(.running)),
                withAttemptsSpent: .refused(.wrongState(.running))),
        ]
        // Only a revive moves an ended job, and only one that did not complete: scheduled again, its
        // attempts kept (the budget grows instead; see reviveGivesAFreshBudget).
        let terminalRows = [JobState.completed, .discarded, .cancelled].flatMap { state in
            JobEvent.Kind.allCases.map { kind in
                if kind == .revive, state != .completed {
                    return Row(state: state, kind: kind, withAttemptsLeft: .becomes(.scheduled, attempt: 1),
                        withAttemptsSpent: .becomes(.scheduled, attempt: 3))
                }
                return Row(state: state, kind: kind, withAttemptsLeft: .refused(.wrongState(state)),
                    withAttemptsSpent: .refused(.wrongState(state)))
            }
        }
        return scheduledRows + runningRows + terminalRows
    }()

    static func event(_ kind: JobEvent.Kind) -> JobEvent {
        let runAt = Timestamp(microsecondsSinceEpoch: 1_000)
        return switch kind {
        case .claim: .claim
        case .complete: .complete
        case .retry: .retry(runAt: runAt)
        case .discard: .discard
        case .snooze: .snooze(runAt: runAt)
        case .release: .release(runAt: runAt)
        case .rescue: .rescue(runAt: runAt)
        case .cancel: .cancel
        case .reschedule: .reschedule(runAt: runAt)
        case .revive: .revive(runAt: runAt)
        }
    }

    static func outcome(_ kind: JobEvent.Kind, state: JobState, attempt: Int) -> Expected {
        let job = JobSnapshot(state: state, attempt: attempt, maxAttempts: max)
        switch JobLifecycle.apply(event(kind), to: job) {
        case .success(let next):
            #expect(next.maxAttempts == (kind == .revive ? attempt + max : max), "only a revive changes maxAttempts")
            return .becomes(next.state, attempt: next.attempt)
        case .failure(let refusal):
            #expect(refusal.event == kind)
            #expect(refusal.jobID == nil)
            return .refused(refusal.reason)
        }
    }

    @Test func tableCoversEveryStateAndEventKindOnce() {
        let pairs = Self.table.map { "\($0.state)/\($0.kind)" }
        #expect(Set(pairs).count == pairs.count)
        #expect(pairs.count == JobState.allCases.count * JobEvent.Kind.allCases.count)
    }

    @Test(arguments: table)
    func transition(_ row: Row) {
        #expect(Self.outcome(row.kind, state: row.state, attempt: 1) == row.withAttemptsLeft)
        #expect(Self.outcome(row.kind, state: row.state, attempt: Self.max) == row.withAttemptsSpent)
    }

    @Test func reviveGivesAFreshBudget() throws {
        let spent = JobSnapshot(state: .discarded, attempt: 5, maxAttempts: 5)
        let revived = try JobLifecycle.apply(.revive(runAt: Timestamp(microsecondsSinceEpoch: 0)), to: spent).get()
        #expect(revived.state == .scheduled && revived.attempt == 5 && revived.maxAttempts == 10)
        #expect(revived.hasAttemptsLeft)
    }

    @Test func claimOfAFreshJobCountsTheFirstAttempt() {
        #expect(Self.outcome(.claim, state: .scheduled, attempt: 0) == .becomes(.running, attempt: 1))
    }

    @Test func givingBackAnAttemptNeverGoesBelowZero() {
        #expect(Self.outcome(.snooze, state: .running, attempt: 0) == .becomes(.scheduled, attempt: 0))
        #expect(Self.outcome(.release, state: .running, attempt: 0) == .becomes(.scheduled, attempt: 0))
    }

    @Test func claimSnoozeClaimReusesTheAttemptNumber() throws {
        var job = JobSnapshot(state: .scheduled, attempt: 2, maxAttempts: 3)
        job = try JobLifecycle.apply(.claim, to: job).get()
        #expect(job.attempt == 3 && !job.hasAttemptsLeft)
        job = try JobLifecycle.apply(.snooze(runAt: .epoch), to: job).get()
        #expect(job == JobSnapshot(state: .scheduled, attempt: 2, maxAttempts: 3))
        job = try JobLifecycle.apply(.claim, to: job).get()
        #expect(job == JobSnapshot(state: .running, attempt: 3, maxAttempts: 3))
    }

    @Test func refusalsDescribeTheProblem() {
        let wrong = TransitionRefusal(jobID: JobID(7), event: .cancel, reason: .wrongState(.completed))
        #expect(wrong.description == "cannot cancel job 7: it is completed, and cancel needs it scheduled or running")
        let spent = TransitionRefusal(event: .retry, reason: .attemptsExhausted(attempt: 3, maxAttempts: 3))
        #expect(spent.description == "cannot retry the job: attempt 3 of 3 was the last")
    }
}
