import Docket
import DocketCore
import Foundation

/// S1 (Docket's own, not one of the shared workloads): N schedules (10,000 by default) that fire every
/// minute, on a wall clock the runner steps a minute at a time; each round times the firing of every
/// schedule and the run of every job the firings create, until all are completed. Then N ordinary
/// due-now jobs are scheduled with the batch API on the same running scheduler and timed the same
/// way, for the comparison that matters: what a job created by a firing costs against one scheduled
/// directly.
enum ScheduleWorkload {
    static func s1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .s1)
        let rounds = options.rounds
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let wall = SteppedWallClock(start: Date(timeIntervalSince1970: 1_767_225_630))  // 2026-01-01T00:00:30Z
        var configuration = Harness.configuration(options, concurrency: concurrency)
        configuration.wallClock = wall
        let open = try Harness.open(path: directory + "/s1.docket", configuration)
        let scheduler = open.scheduler
        try scheduler.register(BenchJob.jobName) { _ in }
        let schedules = (0..<count).lazy.map { index in
            Schedule("s1-\(index)", .cron("* * * * *"), jobName: BenchJob.jobName, payload: BenchJob.payloadBytes(index: index))
        }
        let origin = options.createdSchedules ? "created" : "declared"
        if options.createdSchedules {
            // Per-user schedules: they live in the journal only, not in the process's declarations.
            for schedule in schedules { try await scheduler.createSchedule(schedule) }
        } else {
            try scheduler.declareSchedules(Array(schedules))
        }
        progress("S1: \(grouped(count)) schedules \(origin); \(rounds) rounds of one minute")
        let clock = ContinuousClock()
        let (roundSeconds, firingSeconds, ordinary, memory) = try await Harness.whileRunning(scheduler) {
            try await scheduler.waitUntilRunning()
            var seconds: [Double] = []
            var firing: [Double] = []
            var memory: [Double] = []
            for round in 0..<rounds {
                let watcher = CompletionWatcher(scheduler, target: (round + 1) * count, alreadyTerminal: round * count, label: "S1 round \(round + 1)")
                let scheduled = ScheduledCounter(scheduler, target: count)
                let start = clock.now
                wall.step(by: 60)
                let end = try await watcher.wait()
                seconds.append((end - start).seconds)
                if let fired = await scheduled.instant() { firing.append((fired - start).seconds) }
                memory.append(Memory.currentMB() ?? 0)
                progress("S1: round \(round + 1): \(fixed(seconds.last!)) s, rss \(fixed(memory.last!)) MB")
            }
            let watcher = CompletionWatcher(scheduler, target: (rounds + 1) * count, alreadyTerminal: rounds * count, label: "S1 ordinary")
            let start = clock.now
            try await Harness.enqueue(scheduler, count: count) { _ in .now }
            let enqueued = clock.now
            let end = try await watcher.wait()
            return (seconds, firing, (total: (end - start).seconds, enqueue: (enqueued - start).seconds), memory)
        }
        let ordinarySeconds = ordinary.total
        let counts = try await scheduler.counts()
        let fired = try await scheduler.schedules(limit: 1).first?.fired ?? 0
        await Harness.close(open)

        let fastest = roundSeconds.dropFirst().min() ?? roundSeconds[0]
        let median = roundSeconds.sorted()[roundSeconds.count / 2]
        let roundList = roundSeconds.map { fixed($0, 2) }.joined(separator: ", ")
        let rss = memory.map { fixed($0, 2) }.joined(separator: ", ")
        let ratio = fixed(median / ordinarySeconds, 2)
        var notes = "\(grouped(count)) schedules '* * * * *' (\(origin)), the wall clock stepped a minute per round; "
        notes += "rounds (fire all + run all): \(roundList) s; "
        if firingSeconds.count == roundSeconds.count {
            notes += "of which firing (until the last job was created): \(firingSeconds.map { fixed($0, 2) }.joined(separator: ", ")) s; "
        }
        notes += "same number of ordinary due-now jobs (batch API, same scheduler): \(fixed(ordinarySeconds, 2)) s, "
        notes += "of which scheduling \(fixed(ordinary.enqueue, 2)) s, "
        notes += "ratio fired/ordinary \(ratio) (median round); rss after each round \(rss) MB"
        var row = ResultRow(
            workload: "S1", jobs: count, seconds: median, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: concurrency, notes: notes)
        row.p50 = fastest * 1000
        if counts[.completed] != count * (rounds + 1) || fired != rounds {
            row.violation = "S1: expected \(count * (rounds + 1)) completed and \(rounds) firings per schedule, journal has \(Harness.describe(counts)), fired \(fired)"
        }
        return row
    }
}

/// The instant the `target`-th job was scheduled (by a firing, in S1), from the scheduler's events;
/// nil when events were dropped and the count was never reached.
final class ScheduledCounter: Sendable {
    private let counting: Task<ContinuousClock.Instant?, Never>

    init(_ scheduler: JobScheduler, target: Int) {
        let events = scheduler.events(of: [.scheduled])
        counting = Task {
            var seen = 0
            for await _ in events {
                seen += 1
                if seen >= target { return ContinuousClock().now }
            }
            return nil
        }
    }

    /// Called once the round has ended: the count is then complete, or it never will be.
    func instant() async -> ContinuousClock.Instant? {
        counting.cancel()
        return await counting.value
    }
}

/// A wall clock that stands still until the runner steps it.
final class SteppedWallClock: WallClock {
    // Guards the current reading; the runner steps it while the scheduler reads it.
    private let current: Locked<Date>

    init(start: Date) {
        current = Locked(start)
    }

    func now() -> Date { current.withLock { $0 } }

    func step(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
