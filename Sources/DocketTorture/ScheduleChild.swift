import Docket
import DocketCore
import DocketSQLite
import Foundation
import ProcessSupport

/// The `schedules` mode: runs a journal whose one declared schedule fires every second of a wall clock
/// that runs `speed` times faster than real time, from the real instant `origin` on (so the clock
/// goes on where it was across restarts), and exits 0 printing `done` once the schedule has created
/// `until` jobs and every one of them has completed. The parent kills it at random firing passes
/// and claims; catch-up `all` must then create exactly the firings that were missed.
enum ScheduleChild {
    static let scheduleName = "torture.tick"

    static func run(journal path: String, origin: Int, speed: Int, until: Int) async throws -> Int32 {
        var configuration = SchedulerConfiguration()
        configuration.durability = .full
        configuration.pollInterval = .milliseconds(5)
        configuration.wallClock = AcceleratedWallClock(origin: Int64(origin), speed: Int64(speed))
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
        let scheduler = JobScheduler(
            store: MarkingStore(journal: journal), configuration: configuration)
        try scheduler.register("torture.tick") { _ in }
        try scheduler.declareSchedules([
            Schedule(scheduleName, .every(.seconds(1)), jobName: "torture.tick", catchUp: .all(limit: CatchUpPolicy.maximumLimit))
        ])
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        while true {
            // A child process watching its own progress: the parent kills it long before this loop
            // could matter, and the final launch ends when the count is reached.
            try await Task.sleep(for: .milliseconds(20))
            let fired = try await scheduler.schedule(named: scheduleName)?.fired ?? 0
            let counts = try await scheduler.counts()
            if fired >= until, counts.scheduled + counts.running == 0 { break }
        }
        await scheduler.shutdown()
        _ = await runner.result
        await scheduler.close()
        printLine("done")
        return 0
    }
}

/// Wall time that runs `speed` times faster than the system's, from the real instant `origin`
/// (microseconds since 1970) on: the same reading in every process, so time goes on across restarts.
struct AcceleratedWallClock: WallClock {
    let origin: Int64
    let speed: Int64

    func now() -> Date {
        let real = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let virtual = origin + (real - origin) * speed
        return Date(timeIntervalSince1970: TimeInterval(virtual) / 1_000_000)
    }
}
