import Docket
import DocketCommandLine
import DocketTesting
import Foundation
import Synchronization
import Testing

/// What one run of the tool printed, and its exit code.
struct ToolRun {
    var code: Int32
    var output: String
    var errors: String

    var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(output.hasSuffix("\n") ? 1 : 0) }

    /// The output decoded as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(output.utf8))
    }
}

/// Runs `docket` with `arguments` in this process, capturing what it writes.
func docket(_ arguments: String...) async -> ToolRun {
    await docket(arguments)
}

func docket(_ arguments: [String]) async -> ToolRun {
    let console = Console.capturing()
    let code = await Console.$current.withValue(console) { await DocketTool.run(arguments) }
    return ToolRun(code: code, output: console.output, errors: console.errors)
}

/// A journal with a known history, written on a manual clock at 2026-03-02T09:00:00Z:
/// job 1 `mail` failed once then completed, job 2 `report` scheduled in queue `reports` an hour
/// ahead, job 3 `report` completed, job 4 `mail` cancelled, and the declared schedule `nightly`
/// (02:00 London time).
struct ToolFixture: ~Copyable {
    static let start = Date(timeIntervalSince1970: 1_772_442_000)

    let directory: URL
    var path: String { directory.appendingPathComponent("ops.docket").path }

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tool-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = ManualClock(wallTime: Self.start)
        let scheduler = try JobScheduler(path: directory.appendingPathComponent("ops.docket").path, configuration: .testing(clock: clock))
        let failures = Counter()
        try scheduler.register("mail", options: HandlerOptions(retry: .strategy(.fixed(.seconds(1))), maxAttempts: 5)) { _ in
            if failures.next() == 1 { throw MailError() }
        }
        try scheduler.register("report") { _ in }
        _ = try await scheduler.schedule(name: "mail", payload: Array(#"{"to":"ada@example.com"}"#.utf8))
        _ = try await scheduler.schedule(name: "report", .after(.seconds(3600)), options: JobOptions(queue: "reports"))
        _ = try await scheduler.schedule(name: "report")
        let cancelled = try await scheduler.schedule(name: "mail", .after(.seconds(60)))
        try await scheduler.cancel(cancelled.id)
        _ = try await scheduler.drainDueJobs()
        clock.advance(by: .seconds(1))
        _ = try await scheduler.drainDueJobs()
        try scheduler.declareSchedules([Schedule("nightly", .cron("0 2 * * *", timeZone: "Europe/London"), jobName: "report")])
        try await scheduler.reconcileDeclaredSchedulesNow()
        await scheduler.close()
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

struct MailError: Error, CustomStringConvertible {
    var description: String { "the mail server answered 451" }
}

/// Counts calls across tasks.
final class Counter: Sendable {
    private let value = Mutex(0)

    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
