import Docket
import Foundation
import Testing

/// The crash torture: a child process runs a seeded mix of jobs, is killed with SIGKILL at seeded
/// moments (mid-handler, mid-claim, mid-commit, mid-schedule, mid-rescue, mid-shutdown) and started
/// again on the same journal until every job has ended; then every job's end is checked against its
/// script. CI runs a short, fixed-seed version; `DOCKET_TORTURE_KILLS` and `DOCKET_TORTURE_SEED`
/// run any other.
@Suite(.serialized, .timeLimit(.minutes(60)))
struct CrashTortureTests {
    /// SIGKILL at any moment loses no job: each ends as scripted, reruns only after a kill, never over its attempts.
    @Test func killedAtRandomMomentsNoJobIsLost() async throws {
        let settings = TortureSettings.fromEnvironment(seed: 20_260_101, kills: 40)
        let directory = try TemporaryDirectory("torture")
        let journal = directory.file("torture.docket")
        let log = directory.file("executions.log")
        var kept = " (journal, execution log and transcript kept in \(directory.path))"
        defer { if kept.isEmpty { directory.remove() } }
        let clock = ContinuousClock()
        let start = clock.now

        let record = try await TortureDriver.run(
            settings, journal: journal, log: log, transcript: directory.file("transcript.txt"))
        #expect(record.problems.isEmpty, "\(record.problems.joined(separator: "\n"))\nrepeat with: \(settings.reproduction)\(kept)")
        #expect(record.kills >= settings.kills, "\(settings): only \(record.kills) kills landed; repeat with: \(settings.reproduction)\(kept)")
        let verdict = try TortureVerifier(settings: settings, record: record).verify(journal: journal, log: log)
        let seconds = (clock.now - start) / .seconds(1)
        print(
            "docket torture: seed \(settings.seed), kills \(record.kills), jobs \(verdict.jobs), lost \(verdict.lost), "
                + "duplicate runs \(verdict.duplicateRuns), seconds \(String(format: "%.1f", seconds)) "
                + "(rounds \(record.rounds), launches \(record.launches), runs repeated after a stop \(verdict.releasedRuns), "
                + "kills by marker \(record.killsByMarker.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))")
        #expect(verdict.lost == 0, "\(settings): \(verdict.lost) jobs lost; repeat with: \(settings.reproduction)\(kept)")
        #expect(verdict.problems.isEmpty, "\(verdict.problems.prefix(20).joined(separator: "\n"))\nrepeat with: \(settings.reproduction)\(kept)")
        #expect(verdict.jobs > 0)

        // The journal reopens cleanly through the public API, with nothing left to do.
        let scheduler = try JobScheduler(path: journal)
        let counts = try await scheduler.counts()
        await scheduler.close()
        #expect(counts.scheduled + counts.running == 0, "\(settings): after the run \(counts)")
        #expect(counts.total > 0, "\(settings): the reopened journal is empty")
        if record.problems.isEmpty, verdict.problems.isEmpty, verdict.lost == 0 { kept = "" }
    }
}
