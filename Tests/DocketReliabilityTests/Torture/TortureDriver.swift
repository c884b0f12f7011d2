import Docket
import DocketCore
import Foundation

@testable import DocketTorture

/// The crash torture's knobs. `DOCKET_TORTURE_SEED` and `DOCKET_TORTURE_KILLS` override the seed and
/// the number of kills, so any run can be repeated or lengthened.
struct TortureSettings: Sendable, CustomStringConvertible {
    var seed: UInt64
    var kills: Int
    var jobsPerRound = 24
    /// Kills and early stops per round; it bounds the attempts a kill can take from a job.
    var disruptionsPerRound = 6

    static func fromEnvironment(seed: UInt64, kills: Int) -> TortureSettings {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["DOCKET_TORTURE_SEED"].flatMap { UInt64($0) } ?? seed
        let kills = environment["DOCKET_TORTURE_KILLS"].flatMap { Int($0) } ?? kills
        return TortureSettings(seed: seed, kills: kills)
    }

    var description: String { "seed \(seed)" }

    /// The command that repeats this run.
    var reproduction: String {
        "DOCKET_TORTURE_SEED=\(seed) DOCKET_TORTURE_KILLS=\(kills) swift test --filter CrashTortureTests"
    }
}

/// What one launch of the child is asked to do, and where the parent kills it.
struct LaunchPlan: Sendable, CustomStringConvertible {
    var killPoint: KillPoint?
    var stopAfter: Int?

    static let toTheEnd = LaunchPlan()

    /// A seeded disruption: a kill while a handler runs, during a claim, while an attempt's outcome is
    /// committing (often in a group commit), while a batch is being scheduled, during start-up
    /// rescue, or during shutdown; or a clean early stop.
    static func random(using random: inout SplitMix64) -> LaunchPlan {
        switch Int.random(in: 0..<7, using: &random) {
        case 0: LaunchPlan(killPoint: KillPoint(marker: "phase:start", occurrence: .random(in: 1...6, using: &random)))
        case 1: LaunchPlan(killPoint: KillPoint(marker: "phase:claim", occurrence: .random(in: 1...3, using: &random)))
        case 2: LaunchPlan(killPoint: KillPoint(marker: "phase:apply", occurrence: .random(in: 1...8, using: &random)))
        case 3: LaunchPlan(killPoint: KillPoint(marker: "phase:insert", occurrence: .random(in: 1...2, using: &random)))
        case 4: LaunchPlan(killPoint: KillPoint(marker: "phase:rescue", occurrence: 1))
        case 5:
            LaunchPlan(
                killPoint: KillPoint(marker: "phase:shutdown", occurrence: 1), stopAfter: .random(in: 1...6, using: &random))
        default: LaunchPlan(stopAfter: .random(in: 1...6, using: &random))
        }
    }

    var description: String {
        [killPoint.map { "kill at \($0)" }, stopAfter.map { "stop after \($0) starts" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// Everything the driver saw, for the checks and the summary.
struct TortureRecord: Sendable {
    var rounds = 0
    var launches = 0
    var kills = 0
    var killsByMarker: [String: Int] = [:]
    var killedPIDs: Set<Int32> = []
    var stoppedPIDs: Set<Int32> = []
    /// Launches that ended in a way no plan asked for; each says how, with the seed.
    var problems: [String] = []
}

/// The parent's loop: round after round, launch the child with a seeded plan, kill it at its marker,
/// launch it again on the same journal, until the round's jobs are all finished; stop once the kills
/// reach the target.
enum TortureDriver {
    static func run(_ settings: TortureSettings, journal: String, log: String, transcript: String) async throws -> TortureRecord {
        var record = TortureRecord()
        let transcript = try Transcript(path: transcript)
        var random = SplitMix64(seed: settings.seed ^ 0xD0C4_E7D0_C4E7)
        while record.kills < settings.kills {
            let round = record.rounds
            let disruptions = Int.random(in: 1...settings.disruptionsPerRound, using: &random)
            var used = 0
            launching: while true {
                let plan = used < disruptions ? LaunchPlan.random(using: &random) : .toTheEnd
                used += 1
                var arguments = [
                    "run", "--journal", journal, "--log", log, "--seed", "\(settings.seed)", "--round", "\(round)",
                    "--jobs", "\(settings.jobsPerRound)", "--kills-per-round", "\(settings.disruptionsPerRound)",
                ]
                if let stopAfter = plan.stopAfter { arguments += ["--stop-after", "\(stopAfter)"] }
                let run = try await TortureProcess.run(arguments, killAt: plan.killPoint)
                record.launches += 1
                transcript.append(round: round, launch: record.launches, plan: plan, run: run)
                if run.wasKilled, let marker = plan.killPoint?.marker {
                    record.kills += 1
                    record.killsByMarker[marker, default: 0] += 1
                    record.killedPIDs.insert(run.pid)
                    continue
                }
                switch run.ending {
                case .exited(0) where run.lines.last == "done":
                    break launching
                case .exited(3) where plan.stopAfter != nil:
                    record.stoppedPIDs.insert(run.pid)
                default:
                    let why = run.hung ? "hung past its time limit" : "ended unexpectedly"
                    record.problems.append(
                        "\(settings): round \(round), launch \(record.launches) (\(plan)) \(why): \(run.transcript)")
                    return record
                }
            }
            record.rounds += 1
        }
        return record
    }
}

/// Every launch, with the lines the child printed other than its markers: what to read when a seed
/// fails. Kept beside the journal, which a failing run leaves in place.
final class Transcript {
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    deinit {
        try? handle.close()
    }

    func append(round: Int, launch: Int, plan: LaunchPlan, run: ChildRun) {
        var text = "round \(round) launch \(launch) pid \(run.pid) [\(plan)] \(run.ending) killed-at-marker \(run.killedAtMarker)\n"
        for line in run.lines where !line.hasPrefix("phase:") { text += "  \(line)\n" }
        if !run.standardError.isEmpty { text += "  stderr: \(run.standardError)\n" }
        if let stacks = run.stacksAtTimeLimit { text += "  stacks at the time limit:\n\(stacks)\n" }
        handle.write(Data(text.utf8))
    }
}
