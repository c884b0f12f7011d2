import Docket
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct CrashingHandlerTests {
    /// A handler that kills its process every attempt: after max attempts restarts the job is discarded; no crash loop.
    @Test func aHandlerThatKillsItsProcessEveryTimeEndsDiscardedAfterMaxAttempts() async throws {
        let directory = try TemporaryDirectory("crash-loop")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        let maxAttempts = 3
        var crashes = 0
        var launches = 0
        while launches < maxAttempts + 3 {
            let run = try await TortureProcess.run(["crash", "--journal", path, "--max-attempts", "\(maxAttempts)"])
            launches += 1
            if run.ending == .signalled(SIGKILL) {
                crashes += 1
                #expect(run.lines.last == "phase:start attempt \(crashes)", "\(run.transcript)")
                continue
            }
            #expect(run.ending == .exited(0) && run.lines.last == "done", "\(run.transcript)")
            break
        }
        #expect(crashes == maxAttempts)
        #expect(launches == maxAttempts + 1)

        let scheduler = try JobScheduler(path: path)
        let job = try #require(try await scheduler.jobs(in: .discarded).first)
        let info = try #require(try await scheduler.job(job.id))
        #expect(info.attempt == maxAttempts)
        #expect(info.lastError?.contains("interrupted: the process running attempt \(maxAttempts) stopped") == true)
        #expect(info.attempts.map(\.outcome) == Array(repeating: .interrupted, count: maxAttempts))
        #expect(info.attempts.allSatisfy { $0.endedAt != nil })
        await scheduler.close()
    }
}
