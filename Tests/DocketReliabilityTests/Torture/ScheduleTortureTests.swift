import Docket
import DocketCore
import Foundation
import Testing

@testable import DocketTorture

/// The crash torture of schedules: a child runs a journal whose schedule fires every second of a
/// wall clock running 100 times faster than real time, and is killed with SIGKILL at seeded firing
/// passes, claims and outcome commits, then started again, over more than 1,000 firings. Catch-up
/// `all` must leave exactly one job per firing: none twice, none missing.
@Suite(.serialized, .timeLimit(.minutes(20)))
struct ScheduleTortureTests {
    @Test func killedAtRandomMomentsEachFiringCreatesExactlyOneJob() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["DOCKET_TORTURE_SEED"].flatMap { UInt64($0) } ?? 20_261_207
        let kills = environment["DOCKET_SCHEDULE_TORTURE_KILLS"].flatMap { Int($0) } ?? 40
        let firings = environment["DOCKET_SCHEDULE_TORTURE_FIRINGS"].flatMap { Int($0) } ?? 1_000
        let reproduction = "DOCKET_TORTURE_SEED=\(seed) DOCKET_SCHEDULE_TORTURE_KILLS=\(kills) swift test --filter ScheduleTortureTests"
        let directory = try TemporaryDirectory("schedule-torture")
        let journal = directory.file("schedules.docket")
        var keep = true
        defer { if !keep { directory.remove() } }
        let origin = Int(Date().timeIntervalSince1970 * 1_000_000)
        let arguments = ["schedules", "--journal", journal, "--origin", "\(origin)", "--speed", "100"]
        var random = SplitMix64(seed: seed)
        var landed = 0
        var launches = 0
        var finished = false
        while !finished {
            var killPoint: KillPoint?
            // Until every kill has landed the child is given no end it could reach first; the last
            // launch then fires what the kills left behind and a few more, so catch-up is tested too.
            var until = Int(Int32.max)
            if landed >= kills {
                until = max(firings, try await firedSoFar(in: journal) + 50)
            }
            if landed < kills {
                killPoint = switch Int.random(in: 0..<3, using: &random) {
                case 0: KillPoint(marker: "phase:fire", occurrence: .random(in: 1...60, using: &random))
                case 1: KillPoint(marker: "phase:claim", occurrence: .random(in: 1...40, using: &random))
                default: KillPoint(marker: "phase:apply", occurrence: .random(in: 1...40, using: &random))
                }
            }
            let run = try await TortureProcess.run(arguments + ["--until", "\(until)"], killAt: killPoint, timeLimit: .seconds(120))
            launches += 1
            if run.wasKilled {
                landed += 1
                continue
            }
            guard case .exited(0) = run.ending, run.lines.last == "done" else {
                Issue.record("launch \(launches) ended unexpectedly: \(run.transcript); repeat with: \(reproduction); journal kept in \(directory.path)")
                return
            }
            finished = true
        }

        let scheduler = try JobScheduler(path: journal)
        let schedule = try #require(try await scheduler.schedule(named: ScheduleChild.scheduleName))
        // A firing may land between the child's last look and its shutdown: its job is left scheduled,
        // to run at the next start, and counts like any other.
        var fired: [Date] = []
        for state in [JobState.completed, .scheduled] {
            var after: JobID?
            while true {
                let page = try await scheduler.jobs(in: state, after: after, limit: 1_000)
                fired += page.compactMap { $0.schedule?.firedAt }
                guard let last = page.last else { break }
                after = last.id
            }
        }
        let counts = try await scheduler.counts()
        await scheduler.close()
        let sorted = fired.sorted()
        let repeated = Dictionary(grouping: sorted, by: { $0 }).filter { $0.value.count > 1 }.count
        let gaps = zip(sorted, sorted.dropFirst()).filter { $1.timeIntervalSince($0) != 1 }.count
        print("docket schedule torture: seed \(seed), kills \(landed), launches \(launches), firings \(sorted.count), repeated \(repeated), gaps \(gaps), missed \(schedule.missed)")
        #expect(landed >= kills, "only \(landed) kills landed; repeat with: \(reproduction)")
        #expect(sorted.count >= firings)
        #expect(repeated == 0, "firings with more than one job; repeat with: \(reproduction)")
        #expect(gaps == 0, "firings without a job; repeat with: \(reproduction)")
        #expect(schedule.missed == 0 && schedule.skipped == 0)
        #expect(schedule.fired == sorted.count)
        #expect(schedule.nextFiring == sorted.last?.addingTimeInterval(1))
        #expect(counts.total == sorted.count && counts.completed + counts.scheduled == sorted.count)
        #expect(counts.completed >= firings)
        keep = !(repeated == 0 && gaps == 0 && sorted.count >= firings)
    }

    private func firedSoFar(in journal: String) async throws -> Int {
        let scheduler = try JobScheduler(path: journal)
        let fired = try await scheduler.schedule(named: ScheduleChild.scheduleName)?.fired ?? 0
        await scheduler.close()
        return fired
    }
}
