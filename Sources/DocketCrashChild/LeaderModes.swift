import Docket
import Foundation
import ProcessSupport

/// The modes of the crash child that the leadership tests run (`--mode`):
///
/// - `lead`: runs a scheduler on the journal (real clocks, `--poll-ms` between safety polls),
///   prints `leads` once it leads the journal's runners, or `follows` when another leads as it
///   starts, then `leads` if it takes over; it runs until killed.
/// - `fire`: declares `--schedules N` schedules (`fire.0`…) that fire every second of a wall clock
///   running `--speed` times faster than real time from the real instant `--origin` (microseconds
///   since 1970; the same reading in every child), each firing's job a no-op, with catch-up `all`.
///   `--assume-leadership` makes it fire whether or not it leads. Once every schedule has fired
///   `--until` times, it stops and prints `created N` (the jobs its own firing passes created) and
///   `done`.
enum LeaderModes {
    static let jobName = "fire.tick"

    static func run(_ mode: String, journal: String, arguments: [String]) async throws -> Int32 {
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        func flag(_ name: String) -> Bool { arguments.contains(name) }
        switch mode {
        case "lead":
            try await lead(journal: journal, pollInterval: .milliseconds(Int(value("--poll-ms") ?? "") ?? 1_000))
            return 0
        case "fire":
            let origin = Int64(value("--origin") ?? "") ?? Int64(Date().timeIntervalSince1970 * 1_000_000)
            try await fire(
                journal: journal, clock: AcceleratedWallClock(origin: origin, speed: Int64(value("--speed") ?? "") ?? 50),
                schedules: Int(value("--schedules") ?? "") ?? 4, until: Int(value("--until") ?? "") ?? 100,
                assumesLeadership: flag("--assume-leadership"))
            return 0
        default:
            printLine("unknown mode \(mode)")
            return 2
        }
    }

    static func lead(journal: String, pollInterval: Duration) async throws {
        var configuration = SchedulerConfiguration()
        configuration.pollInterval = pollInterval
        configuration.durability = .normal
        let scheduler = try JobScheduler(path: journal, configuration: configuration)
        try scheduler.register(jobName) { _ in }
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        if !scheduler.leads { printLine("follows") }
        while !scheduler.leads { try await Task.sleep(for: .milliseconds(2)) }
        printLine("leads")
        try await runner.value
    }

    static func fire(
        journal: String, clock: AcceleratedWallClock, schedules count: Int, until: Int, assumesLeadership: Bool
    ) async throws {
        var configuration = SchedulerConfiguration()
        configuration.durability = .normal
        configuration.pollInterval = .milliseconds(5)
        configuration.wallClock = clock
        configuration.assumesLeadership = assumesLeadership
        let scheduler = try JobScheduler(path: journal, configuration: configuration)
        try scheduler.register(jobName) { _ in }
        let names = (0..<count).map { "fire.\($0)" }
        try scheduler.declareSchedules(names.map {
            Schedule($0, .every(.seconds(1)), jobName: jobName, catchUp: .all(limit: CatchUpPolicy.maximumLimit))
        })
        // Only this process's firing passes emit `scheduled`: it schedules nothing else. Subscribed
        // before `run()`, so that no firing is missed.
        let events = scheduler.events(of: [.scheduled])
        let created = Task {
            var created = 0
            for await event in events where event.jobName == jobName { created += 1 }
            return created
        }
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        // The jobs of the last firings may still be waiting when it stops: the parent counts every job.
        while true {
            try await Task.sleep(for: .milliseconds(20))
            var fired = Int.max
            for name in names { fired = min(fired, try await scheduler.schedule(named: name)?.fired ?? 0) }
            if fired >= until { break }
        }
        await scheduler.shutdown()
        try await runner.value
        await scheduler.close()
        printLine("created \(await created.value)")
        printLine("done")
    }
}

/// Wall time that runs `speed` times faster than the system's, from the real instant `origin`
/// (microseconds since 1970) on: the same reading in every process.
struct AcceleratedWallClock: WallClock {
    let origin: Int64
    let speed: Int64

    func now() -> Date {
        let real = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let virtual = origin + (real - origin) * speed
        return Date(timeIntervalSince1970: TimeInterval(virtual) / 1_000_000)
    }
}
