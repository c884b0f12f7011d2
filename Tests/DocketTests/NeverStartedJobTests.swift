import Docket
import DocketTesting
import Foundation
import Testing

/// A crash never spends the attempt of a job whose handler did not start: jobs waiting for a slot stay
/// scheduled in the journal, and jobs claimed but not started (claimed ahead of their time) get their
/// attempt back from crash recovery, thanks to the start log. Real child processes, killed with SIGKILL.
@Suite(.timeLimit(.minutes(2)))
struct NeverStartedJobTests {
    @Test func oneAttemptJobsWaitingBehindAFullConcurrencySurviveAKill() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("slots.docket").path
        let jobs = 200
        // Two slots, handlers that outlast the test: killed once both have started.
        let first = try CrashChildProcess.run(
            journal: journal,
            arguments: ["--jobs", "\(jobs)", "--concurrency", "2", "--max-attempts", "1", "--handler-ms", "600000"],
            killAfterRuns: 2)
        let startedFirst = Set(first.compactMap { Int64($0.split(separator: " ")[3]) })
        #expect(startedFirst.count == 2)
        _ = try CrashChildProcess.run(
            journal: journal, arguments: ["--concurrency", "8", "--handler-ms", "1"], killAfterRuns: nil)
        let scheduler = try JobScheduler(path: journal)
        defer { Task { await scheduler.close() } }
        let discarded = try await scheduler.jobs(in: .discarded, limit: 1_000).map(\.id.rawValue)
        // Only the two jobs whose handler started and was killed are spent; every other one ran.
        #expect(Set(discarded) == startedFirst)
        #expect(try await scheduler.counts()[.completed] == jobs - 2)
    }

    @Test func jobsClaimedAheadButNeverStartedGetTheirAttemptBackAfterAKill() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("ahead.docket").path
        // Four one-attempt jobs due in 3 s, claimed up to a minute ahead: they are running in the
        // journal, held in memory for their time, when the child is killed.
        let first = try CrashChildProcess.run(
            journal: journal,
            arguments: [
                "--jobs", "4", "--concurrency", "4", "--max-attempts", "1", "--delay-ms", "3000",
                "--claim-ahead-ms", "60000",
            ],
            killAt: { $0 == "running 4" })
        #expect(first.isEmpty, "no handler may start before its time")
        let second = try CrashChildProcess.run(
            journal: journal, arguments: ["--concurrency", "4", "--claim-ahead-ms", "0"], killAfterRuns: nil)
        #expect(second.count == 4)
        let scheduler = try JobScheduler(path: journal)
        defer { Task { await scheduler.close() } }
        #expect(try await scheduler.counts()[.completed] == 4)
        for job in try await scheduler.jobs(in: .completed, limit: 10) {
            let info = try #require(try await scheduler.job(job.id))
            #expect(info.attempt == 1)
            #expect(info.attempts.map(\.outcome) == [.released, .completed])
        }
    }
}
