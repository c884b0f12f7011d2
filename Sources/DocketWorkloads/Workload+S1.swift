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
    static let rounds = 5

    static func s1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .s1)
        let concurrency = options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs
        let wall = SteppedWallClock(start: Date(timeIntervalSince1970: 1_767_225_630))  // 2026-01-01T00:00:30Z
        var configuration = Harness.configuration(options, concurrency: concurrency)
        configuration.wallClock = wall
        let open = try Harness.open(path: directory + "/s1.docket", configuration)
        let scheduler = open.scheduler
        try scheduler.register(BenchJob.jobName) { _ in }
        try scheduler.declareSchedules((0..<count).map { index in
            Schedule("s1-\(index)", .cron("* * * * *"), jobName: BenchJob.jobName, payload: BenchJob.payloadBytes(index: index))
        })
        progress("S1: \(grouped(count)) schedules declared; \(rounds) rounds of one minute")
        let clock = ContinuousClock()
        let (roundSeconds, ordinarySeconds, memory) = try await Harness.whileRunning(scheduler) {
            try await scheduler.waitUntilRunning()
            var seconds: [Double] = []
            var memory: [Double] = []
            for round in 0..<rounds {
                let watcher = CompletionWatcher(scheduler, target: (round + 1) * count, alreadyTerminal: round * count, label: "S1 round \(round + 1)")
                let start = clock.now
                wall.step(by: 60)
                let end = try await watcher.wait()
                seconds.append((end - start).seconds)
                memory.append(Memory.currentMB() ?? 0)
                progress("S1: round \(round + 1): \(fixed(seconds.last!)) s, rss \(fixed(memory.last!)) MB")
            }
            let watcher = CompletionWatcher(scheduler, target: (Self.rounds + 1) * count, alreadyTerminal: Self.rounds * count, label: "S1 ordinary")
            let start = clock.now
            try await Harness.enqueue(scheduler, count: count) { _ in .now }
            let end = try await watcher.wait()
            return (seconds, (end - start).seconds, memory)
        }
        let counts = try await scheduler.counts()
        let fired = try await scheduler.schedules(limit: 1).first?.fired ?? 0
        await Harness.close(open)

        let fastest = roundSeconds.dropFirst().min() ?? roundSeconds[0]
        let median = roundSeconds.sorted()[roundSeconds.count / 2]
        let roundList = roundSeconds.map { fixed($0) }.joined(separator: ", ")
        let rss = memory.map { fixed($0) }.joined(separator: ", ")
        let ratio = fixed(median / ordinarySeconds)
        var notes = "\(grouped(count)) schedules '* * * * *', the wall clock stepped a minute per round; "
        notes += "rounds (fire all + run all): \(roundList) s; "
        notes += "same number of ordinary due-now jobs (batch API, same scheduler): \(fixed(ordinarySeconds)) s, "
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
