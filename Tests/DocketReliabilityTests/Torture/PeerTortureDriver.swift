import Docket
import DocketCore
import Foundation

@testable import DocketTorture

/// The crash torture with several processes on one journal: each round, a `prepare` child schedules
/// the round's jobs alone, then `processes` peer children run the journal at once, each killed with
/// SIGKILL (or stopped early) at seeded moments and started again, until every one of them finds
/// nothing left to do. The round's disruptions, at most ``TortureSettings/disruptionsPerRound``, are
/// shared among the peers, which keeps every job's attempts within its script.
enum PeerTortureDriver {
    /// One launch of one peer, for the transcript.
    private struct Launch: Sendable {
        var slot: Int
        var plan: LaunchPlan
        var run: ChildRun
    }

    /// What one peer's launches came to in one round.
    private struct SlotResult: Sendable {
        var launches: [Launch] = []
        var problem: String?
    }

    static func run(
        _ settings: TortureSettings, processes: Int, journal: String, log: String, transcript: String
    ) async throws -> TortureRecord {
        var record = TortureRecord()
        let transcript = try Transcript(path: transcript)
        var random = SplitMix64(seed: settings.seed ^ 0x9EE2_5D0C_4E7A)
        while record.kills < settings.kills {
            let round = record.rounds
            let base = [
                "run", "--journal", journal, "--log", log, "--seed", "\(settings.seed)", "--round", "\(round)",
                "--jobs", "\(settings.jobsPerRound)", "--kills-per-round", "\(settings.disruptionsPerRound)",
            ]
            let prepared = try await TortureProcess.run(base + ["--role", "prepare"])
            record.launches += 1
            transcript.append(round: round, launch: record.launches, plan: .toTheEnd, run: prepared)
            guard prepared.ending == .exited(0), prepared.lines.last == "prepared" else {
                record.problems.append("\(settings): round \(round): the prepare child failed: \(prepared.transcript)")
                return record
            }
            // The round's disruptions, each given to a peer; a peer's launches after its share run
            // to the end.
            var plans = [[LaunchPlan]](repeating: [], count: processes)
            for _ in 0..<Int.random(in: 1...settings.disruptionsPerRound, using: &random) {
                plans[Int.random(in: 0..<processes, using: &random)].append(peerPlan(using: &random))
            }
            let shares = plans
            let results = try await withThrowingTaskGroup(of: SlotResult.self) { group in
                for slot in 0..<processes {
                    group.addTask { try await runSlot(slot, plans: shares[slot], arguments: base + ["--role", "peer"]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for result in results {
                for launch in result.launches {
                    record.launches += 1
                    transcript.append(round: round, launch: record.launches, plan: launch.plan, run: launch.run)
                    if launch.run.wasKilled, let marker = launch.plan.killPoint?.marker {
                        record.kills += 1
                        record.killsByMarker[marker, default: 0] += 1
                        record.killedPIDs.insert(launch.run.pid)
                    } else if launch.run.ending == .exited(3) {
                        record.stoppedPIDs.insert(launch.run.pid)
                    }
                }
                if let problem = result.problem { record.problems.append("\(settings): round \(round), \(problem)") }
            }
            if !record.problems.isEmpty { return record }
            record.rounds += 1
        }
        return record
    }

    /// A seeded disruption a peer can meet: peers schedule nothing, so never one at `phase:insert`.
    private static func peerPlan(using random: inout SplitMix64) -> LaunchPlan {
        while true {
            let plan = LaunchPlan.random(using: &random)
            if plan.killPoint?.marker != "phase:insert" { return plan }
        }
    }

    /// Launches one peer after another, with its plans and then to the end, until one finds the
    /// round done.
    private static func runSlot(_ slot: Int, plans: [LaunchPlan], arguments: [String]) async throws -> SlotResult {
        var result = SlotResult()
        var used = 0
        while true {
            let plan = used < plans.count ? plans[used] : .toTheEnd
            used += 1
            var launchArguments = arguments
            if let stopAfter = plan.stopAfter { launchArguments += ["--stop-after", "\(stopAfter)"] }
            let run = try await TortureProcess.run(launchArguments, killAt: plan.killPoint)
            result.launches.append(Launch(slot: slot, plan: plan, run: run))
            if run.wasKilled { continue }
            switch run.ending {
            case .exited(0) where run.lines.last == "done":
                return result
            case .exited(3) where plan.stopAfter != nil:
                continue
            default:
                let why = run.hung ? "hung past its time limit" : "ended unexpectedly"
                result.problem = "peer \(slot), launch \(result.launches.count) (\(plan)) \(why): \(run.transcript)"
                return result
            }
        }
    }
}
