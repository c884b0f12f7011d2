import DocketCore
import Testing

@testable import DocketSQLite

/// The journal's guarded updates must agree with ``JobLifecycle`` on every (state, event) pair: same
/// new state and attempt when it applies, same refusal when it does not.
@Suite struct LifecycleConformanceTests {
    /// How to bring a job into a state, and with how many attempts allowed.
    enum Setup: CaseIterable, Sendable {
        case scheduled, scheduledSpent, running, runningLastAttempt, completed, discarded, cancelled

        var maxAttempts: Int {
            switch self {
            case .runningLastAttempt: 1
            case .scheduledSpent: 0
            default: 3
            }
        }
    }

    static let events: [JobEvent] = [
        .claim, .complete, .retry(runAt: at(500)), .discard, .snooze(runAt: at(500)), .release(runAt: at(500)),
        .rescue(runAt: at(500)), .cancel, .reschedule(runAt: at(500)),
    ]

    private func makeJob(_ setup: Setup, in journal: SQLiteJournal) async throws -> JobID {
        let id = try await journal.insertID(newJob(maxAttempts: setup.maxAttempts))
        switch setup {
        case .scheduled, .scheduledSpent:
            break
        case .running, .runningLastAttempt:
            _ = try await journal.claim()
        case .completed:
            _ = try await journal.claim()
            try await journal.apply(JobChange(id: id, event: .complete), now: at(1))
        case .discarded:
            _ = try await journal.claim()
            try await journal.apply(JobChange(id: id, event: .discard), now: at(1))
        case .cancelled:
            try await journal.apply(JobChange(id: id, event: .cancel), now: at(1))
        }
        return id
    }

    @Test(arguments: Setup.allCases, events)
    func journalAgreesWithTheLifecycle(setup: Setup, event: JobEvent) async throws {
        let journal = try memoryJournal()
        let id = try await makeJob(setup, in: journal)
        let before = try #require(try await journal.job(id))
        let snapshot = JobSnapshot(state: before.state, attempt: before.attempt, maxAttempts: before.maxAttempts)
        let expected = JobLifecycle.apply(event, to: snapshot)
        let result = try await journal.result(of: JobChange(id: id, event: event), now: at(20))
        let after = try #require(try await journal.job(id))
        switch expected {
        case .success(let next):
            #expect(try result.get() == next.state)
            #expect(after.state == next.state && after.attempt == next.attempt)
            if let runAt = event.runAt, next.state == .scheduled {
                #expect(after.runAt == runAt)
            }
            #expect(after.finishedAt == (next.state.isTerminal ? at(20) : nil))
        case .failure(let refusal):
            #expect(throws: TransitionRefusal(jobID: id, event: event.kind, reason: refusal.reason)) {
                try result.get()
            }
            #expect(after == before)
        }
    }
}
