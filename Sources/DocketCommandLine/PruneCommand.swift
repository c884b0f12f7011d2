import ArgumentParser
import Docket
import DocketCore
import Foundation

/// `docket prune [--dry-run] [--keep-completed D] [--keep-cancelled D] [--keep-discarded D]`: deletes
/// ended jobs older than their retention, as a running scheduler does every minute.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete ended jobs older than their retention, with their attempts.",
        discussion: """
            Durations are written like 90s, 30m, 24h or 7d, or "forever" to keep that state. The defaults \
            are a scheduler's: completed and cancelled jobs are kept 24h, discarded ones 7d. The newest \
            job is always kept, so that no id is ever given twice.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Count what would be deleted, and delete nothing.") var dryRun = false
    @Option(help: "How long completed jobs are kept.") var keepCompleted = "24h"
    @Option(help: "How long cancelled jobs are kept.") var keepCancelled = "24h"
    @Option(help: "How long discarded jobs are kept.") var keepDiscarded = "7d"

    struct Report: Encodable {
        var dryRun: Bool
        var completed: Int
        var cancelled: Int
        var discarded: Int
        var total: Int
    }

    func run() async throws {
        var retention = JobRetention()
        retention.completed = try Self.keep(keepCompleted, option: "--keep-completed")
        retention.cancelled = try Self.keep(keepCancelled, option: "--keep-cancelled")
        retention.discarded = try Self.keep(keepDiscarded, option: "--keep-discarded")
        var configuration = SchedulerConfiguration()
        configuration.retention = retention
        let scheduler: JobScheduler
        if dryRun {
            scheduler = try global.openForReading(configuration)
        } else {
            scheduler = try global.openForChanges(configuration)
        }
        let pruned = try await scheduler.closing { try await $0.prune(dryRun: dryRun) }
        let console = Console.current
        if global.json {
            return try console.json(
                Report(dryRun: dryRun, completed: pruned.completed, cancelled: pruned.cancelled, discarded: pruned.discarded, total: pruned.total))
        }
        let counts = "\(pruned.completed) completed, \(pruned.cancelled) cancelled, \(pruned.discarded) discarded"
        console.line(dryRun ? "would delete \(pruned.total) jobs: \(counts)" : "deleted \(pruned.total) jobs: \(counts)")
    }

    static func keep(_ text: String, option: String) throws -> JobRetention.Keep {
        if text.lowercased() == "forever" { return .forever }
        do {
            return .for(try DelayText.parse(text))
        } catch {
            throw ToolFailure.usage("\(option) \(text): \(error); write a duration like 24h or 7d, or forever")
        }
    }
}
