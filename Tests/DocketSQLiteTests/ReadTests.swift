import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct ReadTests {
    @Test func dueEntriesPageInRunAtIDOrderAfterTheCursor() async throws {
        let journal = try memoryJournal()
        let c = try await journal.insertID(newJob("c", priority: 3, runAt: at(30)))
        let a = try await journal.insertID(newJob("a", runAt: at(10)))
        let b1 = try await journal.insertID(newJob("b", runAt: at(20)))
        let b2 = try await journal.insertID(newJob("b", runAt: at(20)))
        _ = try await journal.insertID(newJob("late", runAt: at(99)))
        let running = try await journal.insertID(newJob("running", runAt: at(-5)))
        #expect(try await journal.claim(limit: 1).map(\.id) == [running])

        let first = try await journal.dueEntries(through: at(30), after: nil, limit: 2)
        #expect(first == [
            DueEntry(id: a, runAt: at(10), priority: 0, name: "a"),
            DueEntry(id: b1, runAt: at(20), priority: 0, name: "b"),
        ])
        let second = try await journal.dueEntries(through: at(30), after: first.last, limit: 2)
        #expect(second.map(\.id) == [b2, c])
        #expect(second.last?.priority == 3)
        #expect(try await journal.dueEntries(through: at(30), after: second.last, limit: 2).isEmpty)
        #expect(try await journal.dueEntries(through: at(30), after: nil, limit: 0).isEmpty)
    }

    /// Pages of due entries, merged from one walk per priority, match a sort of all scheduled jobs:
    /// random priorities and run-ats with ties, running and cancelled jobs mixed in, cursors taken from
    /// the pages and made up, and limits from 1 to more than there are.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func dueEntriesMatchASortOfTheScheduledJobs(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let journal = try memoryJournal()
        let jobs = (0..<300).map { index in
            newJob("j\(index)", priority: Int.random(in: 0...9, using: &random),
                   runAt: at(Int64.random(in: -50...50, using: &random)))
        }
        let ids = try await journal.insert(jobs, now: t0).map(\.id)
        _ = try await journal.claim(now: at(-45), limit: 20)
        for id in ids.shuffled(using: &random).prefix(20) {
            _ = try await journal.apply([JobChange(id: id, event: .cancel)], now: t0)
        }
        var scheduled: [DueEntry] = []
        for (index, id) in ids.enumerated() where try await journal.job(id)?.state == .scheduled {
            let job = jobs[index]
            scheduled.append(DueEntry(id: id, runAt: job.runAt, priority: job.priority, name: job.name))
        }
        scheduled.sort { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
        #expect(scheduled.count > 200)

        for _ in 0..<40 {
            let horizon = at(Int64.random(in: -60...60, using: &random))
            let limit = Int.random(in: 1...(random.next() % 4 == 0 ? 400 : 12), using: &random)
            let cursor: DueEntry? =
                switch random.next() % 3 {
                case 0: nil
                case 1: scheduled.randomElement(using: &random)
                default:
                    DueEntry(
                        id: JobID(Int64.random(in: 0...400, using: &random)),
                        runAt: at(Int64.random(in: -55...55, using: &random)), priority: 0, name: "")
                }
            let expected = scheduled.filter { entry in
                entry.runAt <= horizon && cursor.map { (entry.runAt, entry.id) > ($0.runAt, $0.id) } ?? true
            }
            let page = try await journal.dueEntries(through: horizon, after: cursor, limit: limit)
            #expect(
                page == Array(expected.prefix(limit)),
                "horizon \(horizon), limit \(limit), cursor \(String(describing: cursor))")
        }
        // Paging from nil to the end visits each due job once, in order.
        var paged: [DueEntry] = []
        var cursor: DueEntry?
        while true {
            let page = try await journal.dueEntries(through: at(60), after: cursor, limit: 7)
            if page.isEmpty { break }
            paged += page
            cursor = page.last
        }
        #expect(paged == scheduled)
        await journal.close()
    }

    @Test func jobsInAStatePageInIDOrder() async throws {
        let journal = try memoryJournal()
        var ids: [JobID] = []
        for _ in 0..<5 {
            ids.append(try await journal.insertID(newJob()))
        }
        try await journal.apply(JobChange(id: ids[2], event: .cancel), now: at(1))
        let page1 = try await journal.jobs(in: .scheduled, after: nil, limit: 2)
        #expect(page1.map(\.id) == [ids[0], ids[1]])
        let page2 = try await journal.jobs(in: .scheduled, after: page1.last?.id, limit: 10)
        #expect(page2.map(\.id) == [ids[3], ids[4]])
        #expect(try await journal.jobs(in: .cancelled, after: nil, limit: 10).map(\.id) == [ids[2]])
        #expect(try await journal.countsByState() == [.scheduled: 4, .cancelled: 1])
    }

    @Test func aJobRoundTripsEveryField() async throws {
        let journal = try memoryJournal()
        let new = NewJob(
            name: "resize", queue: "media", priority: 7, payload: [0, 255, 10], runAt: at(-1), maxAttempts: 4,
            uniqueKey: "img-1", timeout: .milliseconds(1500), retryOverride: "exponential")
        let id = try await journal.insertID(new, now: at(-2))
        let job = try #require(try await journal.job(id))
        #expect(job == JobRecord(
            id: id, name: "resize", queue: "media", priority: 7, payload: [0, 255, 10], state: .scheduled,
            runAt: at(-1), attempt: 0, maxAttempts: 4, uniqueKey: "img-1", createdAt: at(-2), updatedAt: at(-2),
            timeout: .milliseconds(1500), retryOverride: "exponential"))
        let empty = try await journal.insertID(newJob(payload: []))
        #expect(try await journal.job(empty)?.payload == [])
        #expect(try await journal.job(JobID(12345)) == nil)
        #expect(try await journal.attempts(of: JobID(12345)).isEmpty)
    }

    /// Reading the attempts of many jobs at once gives, job by job, what reading each one gives: the
    /// attempts table's rows and the job row's own attempt (open or completing), oldest first; jobs
    /// without attempts and unknown ids are absent.
    @Test func attemptsOfManyJobsMatchEachJobsAttempts() async throws {
        let journal = try memoryJournal()
        let retriedThenCompleted = try await journal.insertID(newJob("a"))
        let running = try await journal.insertID(newJob("b"))
        let discarded = try await journal.insertID(newJob("d"))
        let neverClaimed = try await journal.insertID(newJob("c", runAt: at(99)))
        #expect(try await journal.claim(now: t0).count == 3)
        let retry = JobChange(id: retriedThenCompleted, event: .retry(runAt: at(1)), expectedAttempt: 1, error: "boom")
        _ = try await journal.apply([retry, JobChange(id: discarded, event: .discard, expectedAttempt: 1, error: "no")], now: at(1))
        #expect(try await journal.claim(now: at(2)).map(\.id) == [retriedThenCompleted])
        _ = try await journal.apply([JobChange(id: retriedThenCompleted, event: .complete, expectedAttempt: 2)], now: at(3))

        let ids = [neverClaimed, discarded, retriedThenCompleted, running, JobID(12345)]
        let together = try await journal.attempts(ofJobs: ids)
        var oneByOne: [JobID: [AttemptRecord]] = [:]
        for id in ids {
            let attempts = try await journal.attempts(of: id)
            if !attempts.isEmpty { oneByOne[id] = attempts }
        }
        #expect(together == oneByOne)
        #expect(Set(together.keys) == [retriedThenCompleted, running, discarded])
        #expect(together[retriedThenCompleted]?.map(\.outcome) == [.retried, .completed])
        #expect(together[running]?.map(\.outcome) == [nil])
        #expect(try await journal.attempts(ofJobs: []).isEmpty)
    }
}
