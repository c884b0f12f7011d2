import Docket
import DocketTesting
import Foundation
import Testing

/// The testing kit's drain: due jobs run inline, once each, recorded as the run loop records them.
@Suite(.timeLimit(.minutes(1)))
struct DrainTests {
    private struct MailerDown: Error, CustomStringConvertible {
        var description: String { "mailer down" }
    }

    @Test func dueJobsRunOnceEachInPriorityRunAtIDOrder() async throws {
        let harness = try SchedulerTestHarness()
        let ran = Recorder<String>()
        try harness.scheduler.register(Note.self) { note, _ in ran.append(note.text) }
        let late = try await harness.note("late", .at(harness.clock.wallTime.addingTimeInterval(-1)), options: JobOptions(priority: 5))
        let second = try await harness.note("second", .at(harness.clock.wallTime.addingTimeInterval(-1)))
        let first = try await harness.note("first", .at(harness.clock.wallTime.addingTimeInterval(-2)))
        let third = try await harness.note("third", .at(harness.clock.wallTime.addingTimeInterval(-1)))

        let result = try await harness.scheduler.drainDueJobs()
        #expect(ran.all == ["first", "second", "third", "late"])
        #expect(result.jobs.map(\.id) == [first, second, third, late])
        #expect(result.jobs.allSatisfy { $0.outcome == .succeeded && $0.attempt == 1 && $0.name == Note.jobName })
        #expect(result.succeeded == 4 && result.failed == 0 && result.snoozed == 0)
        #expect(try await harness.scheduler.counts() == JobCounts(completed: 4))

        // Nothing is left to run: a second drain runs nothing.
        #expect(try await harness.scheduler.drainDueJobs().jobs.isEmpty)
        #expect(ran.all.count == 4)
    }

    @Test func aFailureIsRetriedPerPolicyAndDiscardedWhenRecursionRunsTheRetries() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(30))))) { _, _ in
            throw MailerDown()
        }
        let start = harness.clock.wallTime
        let id = try await harness.note("x", options: JobOptions(maxAttempts: 3))

        // Without recursion the retry, due in 30 s, waits.
        let once = try await harness.scheduler.drainDueJobs()
        #expect(once.jobs.map(\.outcome) == [.retrying(at: start.addingTimeInterval(30))])
        #expect(once.retrying == 1 && once.failed == 1 && once.jobs.first?.error == "mailer down")
        #expect(try await harness.scheduler.job(id)?.state == .scheduled)

        let rest = try await harness.scheduler.drainDueJobs(includingScheduled: true, recursively: true)
        #expect(rest.attempts(of: id).map(\.attempt) == [2, 3])
        #expect(rest.jobs.map(\.outcome) == [.retrying(at: start.addingTimeInterval(30)), .discarded])
        #expect(rest.retrying == 1 && rest.discarded == 1)
        #expect(rest.jobs.last?.error == "mailer down (attempt 3 of 3: no attempts left)")
        let info = try #require(try await harness.scheduler.job(id))
        #expect(info.state == .discarded && info.attempt == 3)
        #expect(info.attempts.map(\.outcome) == [.retried, .retried, .discarded])
    }

    /// Under the manual clock, a retry becomes due during the drain when the clock passes it (here a
    /// later job moves the clock): a recursive drain runs it, a plain one leaves it.
    @Test(arguments: [false, true])
    func retriesThatBecomeDueRunOnlyWithRecursion(recursively: Bool) async throws {
        let harness = try SchedulerTestHarness()
        let clock = harness.clock
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(30))))) { note, _ in
            if note.text == "tick" {
                clock.advance(by: .seconds(30))
            } else {
                throw MailerDown()
            }
        }
        let start = clock.wallTime
        let failing = try await harness.note("fails", options: JobOptions(priority: 0, maxAttempts: 3))
        _ = try await harness.note("tick", options: JobOptions(priority: 1))
        let result = try await harness.scheduler.drainDueJobs(recursively: recursively)
        // The second attempt failed at start + 30 s, so its retry is due at start + 60 s: not yet.
        let expected: [DrainedJob.Outcome] = recursively
            ? [.retrying(at: start.addingTimeInterval(30)), .retrying(at: start.addingTimeInterval(60))]
            : [.retrying(at: start.addingTimeInterval(30))]
        #expect(result.attempts(of: failing).map(\.outcome) == expected)
        #expect(result.succeeded == 1)
        #expect(try await harness.scheduler.job(failing)?.attempt == expected.count)
    }

    @Test func aSnoozeIsCountedAndRunsAgainOnlyWithRecursion() async throws {
        let harness = try SchedulerTestHarness()
        let runs = Recorder<Int>()
        try harness.scheduler.register(Note.self) { _, context in
            runs.append(context.attempt)
            if runs.all.count == 1 { throw JobControl.snooze(.zero) }
        }
        let id = try await harness.note("x")
        // Snoozed for no time, the job is due again at once; a plain drain still runs it once.
        let first = try await harness.scheduler.drainDueJobs()
        #expect(first.snoozed == 1 && first.jobs.map(\.outcome) == [.snoozed(until: harness.clock.wallTime)])
        #expect(try await harness.scheduler.job(id)?.state == .scheduled)
        let second = try await harness.scheduler.drainDueJobs(recursively: true)
        #expect(second.succeeded == 1 && second.jobs.count == 1)
        // The snooze gave its attempt back.
        #expect(runs.all == [1, 1])
        #expect(try await harness.scheduler.job(id)?.state == .completed)
    }

    @Test func futureJobsAreLeftUnlessScheduledJobsAreIncluded() async throws {
        let harness = try SchedulerTestHarness()
        let ran = Recorder<String>()
        try harness.scheduler.register(Note.self) { note, _ in ran.append(note.text) }
        let later = try await harness.note("later", .after(.seconds(60)))
        let soon = try await harness.note("soon", .after(.seconds(10)))

        #expect(try await harness.scheduler.drainDueJobs(recursively: true).jobs.isEmpty)
        #expect(ran.all.isEmpty)
        let waiting = try await harness.scheduler.scheduledJobs()
        #expect(waiting.map(\.id) == [soon, later] && waiting.allSatisfy { $0.attempt == 0 })

        let result = try await harness.scheduler.drainDueJobs(includingScheduled: true)
        #expect(result.jobs.map(\.id) == [soon, later])
        #expect(ran.all == ["soon", "later"])
        #expect(try await harness.scheduler.counts() == JobCounts(completed: 2))
    }

    @Test func aDrainIsRefusedWhileRunRuns() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        _ = try await harness.note("later", .after(.seconds(60)))
        harness.start()
        // The run loop sleeps until the job is due: run() is active.
        await harness.clock.waitForSleepers(atLeast: 1)
        await expectRefusedAsRunning { try await harness.scheduler.drainDueJobs(includingScheduled: true) }
        try await harness.stop()

        // Once run() has returned the scheduler can be drained.
        #expect(try await harness.scheduler.drainDueJobs(includingScheduled: true).succeeded == 1)
    }

    @Test func aDrainIsRefusedWhileAnotherDrainRuns() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let refused = Recorder<Bool>()
        try scheduler.register(Note.self) { _, _ in
            do {
                _ = try await scheduler.drainDueJobs()
                refused.append(false)
            } catch DrainError.schedulerIsRunning {
                refused.append(true)
            } catch {
                refused.append(false)
            }
        }
        _ = try await harness.note("x")
        #expect(try await scheduler.drainDueJobs().succeeded == 1)
        #expect(refused.all == [true])
    }

    @Test func runRefusesToStartWhileADrainRuns() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let refusals = Recorder<String>()
        try scheduler.register(Note.self) { _, _ in
            do {
                try await scheduler.run()
            } catch {
                refusals.append(String(describing: error))
            }
        }
        _ = try await harness.note("x")
        #expect(try await scheduler.drainDueJobs().succeeded == 1)
        #expect(refusals.all == [String(describing: DocketError.runCalledTwice)])
    }

    @Test func aJobWithoutAHandlerIsNotRun() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let orphan = try await harness.scheduler.schedule(name: "nobody-handles-this").id
        _ = try await harness.note("x")
        let result = try await harness.scheduler.drainDueJobs(includingScheduled: true, recursively: true)
        #expect(result.jobs.map(\.name) == [Note.jobName])
        #expect(try await harness.scheduler.job(orphan)?.state == .scheduled)
    }

    private func expectRefusedAsRunning(_ body: () async throws -> DrainResult) async {
        do {
            let result = try await body()
            Issue.record("the drain ran \(result.jobs.count) jobs while the scheduler was running")
        } catch DrainError.schedulerIsRunning {
        } catch {
            Issue.record("unexpected error: \(error)")
        }
    }
}
