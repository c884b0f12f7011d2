import ArgumentParser
import Docket
import DocketCore
import DocketText
import Foundation

/// The filters `jobs list` and the actions on many jobs share; the journal applies them (see
/// `JobQuery`), so a page costs the same on a journal of any size.
struct JobQueryOptions: ParsableArguments {
    @Option(
        name: .customLong("state"),
        help: "Only jobs in these states (repeat, or a comma list): scheduled, running, completed, discarded, cancelled.")
    var stateLists: [String] = []

    @Option(help: "Only jobs of this handler name (repeatable).")
    var name: [String] = []

    @Option(help: "Only jobs in this queue (repeatable).")
    var queue: [String] = []

    @Option(help: "Only jobs this schedule created.")
    var schedule: String?

    @Option(help: "Only jobs due at or after this instant (ISO 8601, with Z or an offset).")
    var runAfter: String?

    @Option(help: "Only jobs due before this instant.")
    var runBefore: String?

    @Option(help: "Only jobs that finished at or after this instant.")
    var finishedAfter: String?

    @Option(help: "Only jobs that finished before this instant.")
    var finishedBefore: String?

    @Option(help: "Only jobs whose last error contains this text (case-sensitive).")
    var error: String?

    /// The states given, in the order of `JobState.allCases`; empty when none was.
    func states() throws -> [JobState] {
        var given: Set<JobState> = []
        for text in stateLists.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let word = text.trimmingCharacters(in: .whitespaces)
            guard let state = JobState(rawValue: word) else {
                let known = JobState.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--state takes \(known), not '\(word)'")
            }
            given.insert(state)
        }
        return JobState.allCases.filter(given.contains)
    }

    var isGiven: Bool {
        !stateLists.isEmpty || !name.isEmpty || !queue.isEmpty || schedule != nil || runAfter != nil
            || runBefore != nil || finishedAfter != nil || finishedBefore != nil || error != nil
    }

    /// The query, states defaulting to `defaultStates`; throws a usage error for a value that does
    /// not parse or a query the API refuses (an inverted range, an empty error text).
    func query(defaultStates: [JobState] = []) throws -> JobQuery {
        func instant(_ text: String?, _ flag: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = InstantParser.instant(text) else {
                throw ValidationError("\(flag) takes an ISO 8601 instant such as 2026-03-02T09:00:00Z, not '\(text)'")
            }
            return date
        }
        let given = try states()
        for (from, until) in [(("--run-after", runAfter), ("--run-before", runBefore)),
                              (("--finished-after", finishedAfter), ("--finished-before", finishedBefore))] {
            if let start = try instant(from.1, from.0), let end = try instant(until.1, until.0), end < start {
                throw ValidationError("\(until.0) \(until.1 ?? "") is earlier than \(from.0) \(from.1 ?? "")")
            }
        }
        if error == "" { throw ValidationError("--error needs the text to look for") }
        let query = JobQuery(
            states: Set(given.isEmpty ? defaultStates : given), names: Set(name), queues: Set(queue),
            scheduleName: schedule, runAfter: try instant(runAfter, "--run-after"),
            runBefore: try instant(runBefore, "--run-before"), finishedAfter: try instant(finishedAfter, "--finished-after"),
            finishedBefore: try instant(finishedBefore, "--finished-before"), errorContains: error)
        do {
            try query.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return query
    }
}
