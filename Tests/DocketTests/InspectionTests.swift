import Docket
import DocketTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct InspectionTests {
    /// Counts have every state, zeros included; the subscript and the total agree with the properties.
    @Test func countsHaveEveryStateAndATotal() async throws {
        let harness = try SchedulerTestHarness()
        #expect(try await harness.scheduler.counts() == JobCounts())
        let ids = try await harness.scheduler.schedule((0..<3).map { JobRequest(Note(text: "\($0)")) }).map(\.id)
        try await harness.scheduler.cancel(ids[0])
        let counts = try await harness.scheduler.counts()
        #expect(counts == JobCounts(scheduled: 2, cancelled: 1))
        #expect(counts.total == 3)
        #expect(counts[.scheduled] == 2 && counts[.cancelled] == 1 && counts[.running] == 0)
        #expect(JobState.allCases.map { counts[$0] } == [counts.scheduled, counts.running, counts.completed, counts.discarded, counts.cancelled])
    }

    /// A page of jobs carries each job's attempts, as reading the job alone does, across pages.
    @Test func aPageOfJobsCarriesEachJobsAttempts() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.fixed(.zero)))) { note, context in
            if note.text == "flaky" && context.attempt == 1 { throw Failure(text: "first try") }
        }
        harness.start()
        var ids: [JobID] = []
        for text in ["flaky", "steady", "flaky", "steady", "flaky"] {
            ids.append(try await harness.note(text))
        }
        for _ in ids { _ = await harness.next(.succeeded) }
        try await harness.stop()

        var paged: [Job] = []
        var after: JobID?
        while true {
            let page = try await harness.scheduler.jobs(in: .completed, after: after, limit: 2)
            guard let last = page.last else { break }
            paged += page
            after = last.id
        }
        #expect(paged.map(\.id) == ids)
        for job in paged {
            #expect(try await harness.scheduler.job(job.id) == job)
        }
        #expect(paged.map { $0.attempts.map(\.outcome) } == [
            [.retried, .completed], [.completed], [.retried, .completed], [.completed], [.retried, .completed],
        ])
        #expect(paged[0].attempts.map(\.number) == [1, 2])
        #expect(paged[0].attempts.first?.error == "first try")
        #expect(paged.allSatisfy { $0.finishedAt != nil && $0.attempts.allSatisfy { $0.endedAt != nil } })
    }

    /// After `close()`, calls fail as a closed storage that tells the user what they hold.
    @Test func aClosedSchedulerSaysToCreateANewOne() async throws {
        let scheduler = try JobScheduler.inMemory()
        await scheduler.close()
        let error = await #expect(throws: DocketError.self) { try await scheduler.schedule(name: "late") }
        guard case .storage(let failure)? = error else {
            Issue.record("expected a storage failure, got \(String(describing: error))")
            return
        }
        #expect(failure.kind == .closed)
        #expect(failure.description == "the scheduler was closed; create a new JobScheduler to schedule or inspect jobs again")
    }
}

private struct Failure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
