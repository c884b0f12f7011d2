import Docket
import DocketTesting
import Testing

/// Cancel, run-now and reschedule of jobs they do not apply to. CommandTests covers unknown ids,
/// a cancelled job's cancel and run-now, and a completed job's reschedule; these cover every command
/// in every other state. Cancelling a running job applies (CancelRunningTests).
@Suite(.timeLimit(.minutes(1)))
struct CommandStateTests {
    /// Run-now and reschedule of a running/completed/discarded/cancelled job: `jobNotScheduled(id, state:)`;
    /// cancel of a finished one: `jobNotCancellable(id, state:)`; no change.
    @Test(arguments: [JobState.running, .completed, .discarded, .cancelled])
    func commandsOnAJobThatIsNotScheduledAreRefusedAndChangeNothing(state: JobState) async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register("subject") { _ in
            switch state {
            case .running: await gate.wait()
            case .discarded: throw JobControl.discard(reason: "test")
            default: break
            }
        }
        let id = try await harness.scheduler.schedule(name: "subject", state == .cancelled ? .after(.seconds(60)) : .now).id
        harness.start()
        switch state {
        case .running: _ = await harness.next(.started, of: id)
        case .completed: _ = await harness.next(.succeeded, of: id)
        case .discarded: _ = await harness.next(.discarded, of: id)
        default: try await harness.scheduler.cancel(id)
        }
        let before = try #require(try await harness.scheduler.job(id))
        #expect(before.state == state)

        let scheduler = harness.scheduler
        let commands: [(String, @Sendable () async throws -> Void)] = [
            ("run now", { try await scheduler.runNow(id) }),
            ("reschedule", { try await scheduler.reschedule(id, to: .after(.seconds(5))) }),
        ]
        for (command, body) in commands {
            let error = await docketError(body)
            guard case .jobNotScheduled(let failed, let actual)? = error else {
                Issue.record("\(command) of a \(state) job gave \(String(describing: error))")
                continue
            }
            #expect(failed == id && actual == state, "\(command)")
            #expect(error?.description.contains("job \(id) is \(state), not scheduled") == true)
        }
        if state != .running {
            let error = await docketError { try await scheduler.cancel(id) }
            guard case .jobNotCancellable(id, state: state)? = error else {
                Issue.record("cancel of a \(state) job gave \(String(describing: error))")
                return
            }
        }
        #expect(try await harness.scheduler.job(id) == before)
        gate.open()
        try await harness.stop()
    }

    /// Commands on ids no job has (0, negative, `Int64.max`) get `jobNotFound(id)`.
    @Test func commandsOnImpossibleIdsSayNotFound() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        for raw in [Int64(0), -1, .min, .max] {
            let id = JobID(raw)
            for error in [
                await docketError { try await scheduler.cancel(id) }, await docketError { try await scheduler.runNow(id) },
                await docketError { try await scheduler.reschedule(id, to: .now) },
            ] {
                guard case .jobNotFound(let missing)? = error else {
                    Issue.record("id \(raw) gave \(String(describing: error))")
                    continue
                }
                #expect(missing == id)
                #expect(error?.description == "no job has id \(id)")
            }
            #expect(try await scheduler.job(id) == nil)
        }
    }
}
