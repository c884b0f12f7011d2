import Docket
import DocketTesting
import Foundation
import Testing

/// The listing, the count breakdown and the lateness through the public API.
@Suite(.timeLimit(.minutes(1)))
struct JobQueryTests {
    /// Jobs of two names in two queues; every third one cancelled, and one snoozed into the future.
    private func harnessWithJobs() async throws -> (SchedulerTestHarness, [JobID]) {
        let harness = try SchedulerTestHarness()
        var ids: [JobID] = []
        for index in 0..<12 {
            let job = try await harness.scheduler.schedule(
                name: index % 2 == 0 ? "mail" : "report", .after(.seconds(Double(index))),
                options: JobOptions(queue: index % 4 < 2 ? "fast" : "slow"))
            ids.append(job.id)
            if index % 3 == 0 { try await harness.scheduler.cancel(job.id) }
        }
        return (harness, ids)
    }

    @Test func aListingPagesThroughWhatTheQueryMatches() async throws {
        let (harness, _) = try await harnessWithJobs()
        let scheduler = harness.scheduler
        let all = try await scheduler.jobs(matching: JobQuery(), limit: 100).jobs
        #expect(all.count == 12)
        let queries = [
            JobQuery(states: [.scheduled], names: ["mail"]),
            JobQuery(queues: ["slow"]),
            JobQuery(states: [.cancelled, .scheduled], names: ["report"], queues: ["fast"]),
            JobQuery(runAfter: harness.clock.wallTime.addingTimeInterval(3), runBefore: harness.clock.wallTime.addingTimeInterval(8)),
        ]
        for query in queries {
            var paged: [Job] = []
            var cursor: JobCursor?
            repeat {
                let page = try await scheduler.jobs(matching: query, after: cursor, limit: 2)
                #expect(page.jobs.count <= 2)
                paged += page.jobs
                cursor = page.next
                // The cursor survives its text form, as the tool prints and reads it.
                #expect(cursor.flatMap { JobCursor($0.description) } == cursor)
            } while cursor != nil
            let expected = all.filter(query.matches)
            #expect(!expected.isEmpty)
            #expect(paged.map(\.id) == expected.map(\.id), "\(query)")
        }
        // States come in the order of JobState.allCases, ids ascending within each.
        #expect(all.map(\.state) == all.map(\.state).sorted { JobState.allCases.firstIndex(of: $0)! < JobState.allCases.firstIndex(of: $1)! })
        #expect(JobCursor("cancelled:x") == nil && JobCursor("nowhere:3") == nil && JobCursor("7") == nil)
    }

    @Test func badQueriesAreRefusedAsInvalidInput() async throws {
        let harness = try SchedulerTestHarness()
        let now = Date()
        let cases: [(JobQuery, Int, DocketError.InvalidInput.Field)] = [
            (JobQuery(), 0, .pageLimit),
            (JobQuery(), 10_001, .pageLimit),
            (JobQuery(runAfter: now, runBefore: now.addingTimeInterval(-1)), 10, .dateRange),
            (JobQuery(finishedAfter: now, finishedBefore: now.addingTimeInterval(-1)), 10, .dateRange),
            (JobQuery(errorContains: ""), 10, .errorText),
        ]
        for (query, limit, field) in cases {
            let error = await #expect(throws: DocketError.self) { try await harness.scheduler.jobs(matching: query, limit: limit) }
            guard case .invalidInput(let input)? = error else {
                Issue.record("expected invalid input, got \(String(describing: error))")
                continue
            }
            #expect(input.field == field)
        }
        // An empty range is not inverted.
        _ = try await harness.scheduler.jobs(matching: JobQuery(runAfter: now, runBefore: now), limit: 1)
        // A cursor from a listing of other states continues nothing of this one.
        let completedOnly = JobQuery(states: [.completed])
        let error = await #expect(throws: DocketError.self) {
            try await harness.scheduler.jobs(matching: completedOnly, after: JobCursor(state: .scheduled, id: JobID(5)))
        }
        guard case .invalidInput(let input)? = error else {
            Issue.record("expected invalid input, got \(String(describing: error))")
            return
        }
        #expect(input.field == .cursor && input.value == "scheduled:5")
    }

    @Test func theBreakdownCountsPerQueueAndPerName() async throws {
        let (harness, _) = try await harnessWithJobs()
        let breakdown = try await harness.scheduler.countBreakdown()
        #expect(breakdown.total == JobCounts(scheduled: 8, cancelled: 4))
        #expect(breakdown.total == (try await harness.scheduler.counts()))
        #expect(breakdown.byName == ["mail": JobCounts(scheduled: 4, cancelled: 2), "report": JobCounts(scheduled: 4, cancelled: 2)])
        #expect(breakdown.byQueue == ["fast": JobCounts(scheduled: 4, cancelled: 2), "slow": JobCounts(scheduled: 4, cancelled: 2)])
    }

    @Test func theLatenessIsFromTheEarliestDueJob() async throws {
        let harness = try SchedulerTestHarness()
        #expect(try await harness.scheduler.oldestDueLateness() == nil)
        try await harness.scheduler.schedule(name: "later", .after(.seconds(30)), options: JobOptions(priority: 5))
        #expect(try await harness.scheduler.oldestDueLateness() == nil)
        try await harness.scheduler.schedule(name: "soon", .after(.seconds(10)), options: JobOptions(priority: 1))
        harness.clock.advance(by: .seconds(25))
        #expect(try await harness.scheduler.oldestDueLateness() == .seconds(15))
    }
}
