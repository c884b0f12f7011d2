import Docket
import DocketTesting
import Testing

/// Retention: ended jobs are pruned by their state's keep duration, in virtual time, on demand and
/// by the run loop; active jobs never are.
@Suite(.timeLimit(.minutes(1)))
struct RetentionTests {
    /// A scheduler on a manual clock with `retention`; handlers: notes succeed, "fail" discards at once.
    private func harness(_ retention: JobRetention = JobRetention()) throws -> SchedulerTestHarness {
        let harness = try SchedulerTestHarness { $0.retention = retention }
        try harness.scheduler.register(Note.self, options: HandlerOptions(maxAttempts: 1)) { note, _ in
            if note.text == "fail" { throw Refusal() }
        }
        return harness
    }

    /// One completed, one discarded and one cancelled job, all ended at the clock's current time, and
    /// a job parked a year ahead after them (pruning always keeps the newest job, see
    /// ``parkedJob(_:)``).
    private func endOneOfEach(_ harness: SchedulerTestHarness) async throws -> (completed: JobID, discarded: JobID, cancelled: JobID) {
        let completed = try await harness.note("ok")
        let discarded = try await harness.note("fail")
        let cancelled = try await harness.note("later", .after(.seconds(3_600)))
        try await harness.scheduler.cancel(cancelled)
        _ = try await harness.scheduler.drainDueJobs()
        try await parkedJob(harness)
        #expect(try await harness.scheduler.counts() == JobCounts(scheduled: 1, completed: 1, discarded: 1, cancelled: 1))
        return (completed, discarded, cancelled)
    }

    /// A job a year ahead. Pruning keeps the newest job whatever its age (its id would otherwise go
    /// to the next job), so tests that expect every ended job gone end with this one.
    private func parkedJob(_ harness: SchedulerTestHarness) async throws {
        _ = try await harness.note("parked", .after(.seconds(365 * 86_400)))
    }

    @Test func theDefaultsKeepADayAndDiscardedJobsAWeek() {
        let retention = SchedulerConfiguration().retention
        #expect(retention == JobRetention())
        #expect(retention.completed == .for(.seconds(86_400)) && retention.cancelled == .hours(24))
        #expect(retention.discarded == .days(7))
        #expect(retention.interval == .seconds(60) && retention.batchSize == 500)
        #expect(retention.keep(for: .scheduled) == nil && retention.keep(for: .running) == nil)
    }

    @Test func eachStateIsPrunedAfterItsOwnKeepDuration() async throws {
        let harness = try harness()
        let ids = try await endOneOfEach(harness)
        harness.clock.advance(by: .seconds(86_399))
        #expect(try await harness.scheduler.prune() == PruneReport())
        harness.clock.advance(by: .seconds(2))
        #expect(try await harness.scheduler.prune() == PruneReport(completed: 1, cancelled: 1))
        #expect(try await harness.scheduler.job(ids.completed) == nil)
        #expect(try await harness.scheduler.job(ids.cancelled) == nil)
        // The discarded job keeps its error history until its week is over.
        #expect(try await harness.scheduler.job(ids.discarded)?.attempts.count == 1)
        harness.clock.advance(by: .seconds(6 * 86_400))
        #expect(try await harness.scheduler.prune() == PruneReport(discarded: 1))
        #expect(try await harness.scheduler.counts() == JobCounts(scheduled: 1))
    }

    @Test func foreverKeepsThatStateWhateverTheTime() async throws {
        let harness = try harness(JobRetention(completed: .forever, cancelled: .for(.zero), discarded: .forever))
        let ids = try await endOneOfEach(harness)
        harness.clock.advance(by: .seconds(1_000 * 86_400))
        #expect(try await harness.scheduler.prune() == PruneReport(cancelled: 1))
        #expect(try await harness.scheduler.job(ids.completed)?.state == .completed)
        #expect(try await harness.scheduler.job(ids.discarded)?.state == .discarded)
        #expect(try await harness.scheduler.prune(dryRun: true) == PruneReport(dryRun: true))
    }

    @Test func aDryRunCountsAndChangesNothing() async throws {
        let harness = try harness()
        _ = try await endOneOfEach(harness)
        harness.clock.advance(by: .seconds(8 * 86_400))
        let report = try await harness.scheduler.prune(dryRun: true)
        #expect(report == PruneReport(completed: 1, cancelled: 1, discarded: 1, dryRun: true))
        #expect(try await harness.scheduler.counts() == JobCounts(scheduled: 1, completed: 1, discarded: 1, cancelled: 1))
        #expect(try await harness.scheduler.prune() == PruneReport(completed: 1, cancelled: 1, discarded: 1))
    }

    @Test func scheduledJobsAreNeverPruned() async throws {
        let harness = try harness(JobRetention(completed: .for(.zero), cancelled: .for(.zero), discarded: .for(.zero)))
        let parked = try await harness.note("parked", .after(.seconds(10 * 86_400)))
        harness.clock.advance(by: .seconds(86_400))
        #expect(try await harness.scheduler.prune() == PruneReport())
        #expect(try await harness.scheduler.job(parked)?.state == .scheduled)
    }

    @Test func aCallPrunesMoreJobsThanOneBatchHolds() async throws {
        var retention = JobRetention()
        retention.batchSize = 2
        let harness = try harness(retention)
        _ = try await harness.scheduler.schedule((0..<7).map { JobRequest(Note(text: "\($0)")) })
        _ = try await harness.scheduler.drainDueJobs()
        try await parkedJob(harness)
        harness.clock.advance(by: .seconds(86_401))
        #expect(try await harness.scheduler.prune() == PruneReport(completed: 7))
        #expect(try await harness.scheduler.counts() == JobCounts(scheduled: 1))
    }

    /// Under `.wait` a schedule fires only once its latest job ended; a pruned job counts as ended.
    @Test func aScheduleWhoseLastJobWasPrunedFiresAgain() async throws {
        let harness = try harness()
        _ = try await harness.scheduler.createSchedule(
            Schedule("tick", .every(.seconds(60)), job: Note(text: "tick"), overlap: .wait))
        harness.clock.advance(by: .seconds(60))
        let first = try await harness.scheduler.fireDueSchedules()
        #expect(first.count == 1)
        _ = try await harness.scheduler.drainDueJobs()
        try await parkedJob(harness)
        harness.clock.advance(by: .seconds(86_460))
        #expect(try await harness.scheduler.prune() == PruneReport(completed: 1))
        let next = try await harness.scheduler.fireDueSchedules()
        #expect(next.count == 1 && next != first)
        #expect(try await harness.scheduler.job(try #require(next.first))?.schedule?.scheduleName == "tick")
    }

    @Test func theRunLoopPrunesOnItsOwnBatchAfterBatch() async throws {
        var retention = JobRetention(completed: .for(.seconds(30)))
        retention.batchSize = 2
        let harness = try harness(retention)
        let prunedEvents = harness.scheduler.events(of: [.pruned])
        harness.start()
        try await harness.scheduler.waitUntilRunning()
        let ids = try await harness.scheduler.schedule((0..<5).map { JobRequest(Note(text: "\($0)")) }).map(\.id)
        for id in ids { _ = await harness.next(.succeeded, of: id) }
        try await parkedJob(harness)
        // Past the keep duration and the interval: the loop's next pass takes three batches, a
        // pause after each full one. The pause is measured on the manual clock, which this loop
        // moves while a batch runs, so it may come out long; it never exceeds the interval, and a
        // second a step gets past it in a bounded number of steps.
        harness.clock.advance(by: .seconds(61))
        try await eventually {
            harness.clock.advance(by: .seconds(1))
            return try await harness.scheduler.counts().completed == 0
        }
        #expect(try await harness.scheduler.counts() == JobCounts(scheduled: 1))
        // Each deleted job is announced once, by name.
        let announced = await events(in: prunedEvents, count: 5) { _ in true }
        #expect(Set(announced.map(\.jobID)) == Set(ids) && announced.allSatisfy { $0.jobName == Note.jobName })
        try await harness.stop()
    }

    @Test func pruningByHandAnnouncesEachDeletedJob() async throws {
        let harness = try harness()
        let ids = try await endOneOfEach(harness)
        let prunedEvents = harness.scheduler.events(of: [.pruned])
        harness.clock.advance(by: .seconds(8 * 86_400))
        #expect(try await harness.scheduler.prune() == PruneReport(completed: 1, cancelled: 1, discarded: 1))
        let announced = await events(in: prunedEvents, count: 3) { _ in true }
        #expect(Set(announced.map(\.jobID)) == [ids.completed, ids.cancelled, ids.discarded])
        #expect(announced.allSatisfy { $0.kind == .pruned })
    }

    @Test(arguments: [
        JobRetention(completed: .for(.seconds(-1))),
        JobRetention(discarded: .for(.seconds(200 * 366 * 86_400))),
        { var retention = JobRetention(); retention.interval = .zero; return retention }(),
        { var retention = JobRetention(); retention.batchSize = 0; return retention }(),
    ])
    func aBadRetentionIsRefusedWithATypedError(_ retention: JobRetention) async throws {
        var configuration = SchedulerConfiguration()
        configuration.retention = retention
        #expect {
            _ = try JobScheduler.inMemory(configuration: configuration)
        } throws: { error in
            guard case .invalidInput(let input) = error as? DocketError else { return false }
            return input.field == .retention && !input.reason.isEmpty
        }
    }
}

private struct Refusal: Error {}
