import ArgumentParser
import Docket
import DocketCore
import Foundation

/// Which jobs an action without an id acts on: the filters of `jobs list`, or `--all`.
struct JobFilter: ParsableArguments {
    @OptionGroup var query: JobQueryOptions

    @Flag(help: "Act on every job the action can, with no other filter.")
    var all = false

    var isGiven: Bool { all || query.isGiven }
}

/// What an action on every matching job did, or would do.
struct BulkActionReport: Encodable {
    struct Refusal: Encodable {
        var job: Int64
        var reason: String
    }

    var action: String
    var dryRun: Bool
    /// The jobs changed (with `--dry-run`: that would be), by id.
    var jobs: [Int64]
    /// Jobs that matched when read but moved before the action reached them: nothing changed there.
    var refused: [Refusal]
    var runAt: Date?
}

extension JobAction {
    /// Acts on every job of the accepted states that the filter matches, a page at a time, each with
    /// its own compare-and-set: a job that moved meanwhile is refused and reported, never changed.
    func runOnMatches() async throws {
        let scheduler = try dryRun ? global.openForReading() : global.openForChanges()
        let runAt = try newRunAt(now: Date())
        let report = try await scheduler.closing { scheduler in
            var report = BulkActionReport(action: Self.actionName, dryRun: dryRun, jobs: [], refused: [], runAt: runAt)
            // Matches are collected before any changes, so a job the action moves into another
            // accepted state (or back) is not met twice.
            let query = try filter.query.query(defaultStates: Self.acceptedStates)
            var matches: [JobID] = []
            var after: JobCursor?
            repeat {
                let page = try await scheduler.jobs(matching: query, after: after, limit: 500)
                matches += page.jobs.map(\.id)
                after = page.next
            } while after != nil
            for id in matches {
                if dryRun {
                    report.jobs.append(id.rawValue)
                    continue
                }
                do {
                    try await act(on: scheduler, id: id, runAt: runAt)
                    report.jobs.append(id.rawValue)
                } catch let error as DocketError {
                    report.refused.append(.init(job: id.rawValue, reason: "\(error)"))
                }
            }
            return report
        }
        let console = Console.current
        if global.json { return try console.json(report) }
        let jobs = report.jobs.count == 1 ? "1 job" : "\(report.jobs.count) jobs"
        let ids = report.jobs.isEmpty ? "" : ": " + report.jobs.prefix(20).map(String.init).joined(separator: ", ")
            + (report.jobs.count > 20 ? ", …" : "")
        console.line((dryRun ? "would \(Self.actionName) " : "\(Self.actionName): ") + jobs + ids)
        for refusal in report.refused { console.line("refused job \(refusal.job): \(refusal.reason)") }
    }
}
