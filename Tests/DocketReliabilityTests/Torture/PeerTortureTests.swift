import Docket
import Foundation
import Testing

/// The crash torture with several processes on one journal at once (three by default), each killed
/// with SIGKILL at seeded moments and started again while the others run on, rescuing what it left
/// running. The checks are the single-process torture's, over the executions of every process:
/// every job ends as scripted, runs again only after a kill or a stop, and never runs in two
/// processes at once unless a kill or stop explains it. CI runs a short, fixed-seed version;
/// `DOCKET_TORTURE_SEED`, `DOCKET_TORTURE_KILLS` and `DOCKET_TORTURE_PROCESSES` run any other.
@Suite(.serialized, .timeLimit(.minutes(60)))
struct PeerTortureTests {
    @Test func severalProcessesKilledAtRandomLoseNoJob() async throws {
        let settings = TortureSettings.fromEnvironment(seed: 20_261_207, kills: 30)
        let processes = ProcessInfo.processInfo.environment["DOCKET_TORTURE_PROCESSES"].flatMap { Int($0) } ?? 3
        let reproduction = "DOCKET_TORTURE_PROCESSES=\(processes) " + settings.reproduction.replacingOccurrences(
            of: "CrashTortureTests", with: "PeerTortureTests")
        let directory = try TemporaryDirectory("peer-torture")
        let journal = directory.file("torture.docket")
        let log = directory.file("executions.log")
        var kept = " (journal, execution log and transcript kept in \(directory.path))"
        defer { if kept.isEmpty { directory.remove() } }
        let clock = ContinuousClock()
        let start = clock.now

        let record = try await PeerTortureDriver.run(
            settings, processes: processes, journal: journal, log: log, transcript: directory.file("transcript.txt"))
        #expect(record.problems.isEmpty, "\(record.problems.joined(separator: "\n"))\nrepeat with: \(reproduction)\(kept)")
        #expect(record.kills >= settings.kills, "\(settings): only \(record.kills) kills landed; repeat with: \(reproduction)\(kept)")
        let verdict = try TortureVerifier(settings: settings, record: record).verify(journal: journal, log: log)
        let seconds = (clock.now - start) / .seconds(1)
        print(
            "docket peer torture: processes \(processes), seed \(settings.seed), kills \(record.kills), jobs \(verdict.jobs), "
                + "lost \(verdict.lost), duplicate runs \(verdict.duplicateRuns), seconds \(String(format: "%.1f", seconds)) "
                + "(rounds \(record.rounds), launches \(record.launches), runs repeated after a stop \(verdict.releasedRuns), "
                + "kills by marker \(record.killsByMarker.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))")
        #expect(verdict.lost == 0, "\(settings): \(verdict.lost) jobs lost; repeat with: \(reproduction)\(kept)")
        #expect(verdict.problems.isEmpty, "\(verdict.problems.prefix(20).joined(separator: "\n"))\nrepeat with: \(reproduction)\(kept)")
        #expect(verdict.jobs > 0)

        let scheduler = try JobScheduler(path: journal)
        let counts = try await scheduler.counts()
        await scheduler.close()
        #expect(counts.scheduled + counts.running == 0, "\(settings): after the run \(counts)")
        if record.problems.isEmpty, verdict.problems.isEmpty, verdict.lost == 0 { kept = "" }
    }
}
