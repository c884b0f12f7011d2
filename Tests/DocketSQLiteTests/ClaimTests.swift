import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct ClaimTests {
    @Test func claimsInPriorityRunAtIDOrder() async throws {
        let journal = try memoryJournal()
        // Inserted out of order on purpose; ids follow insertion.
        let late = try await journal.insertID(newJob(priority: 0, runAt: at(-10)))
        let urgentTie1 = try await journal.insertID(newJob(priority: 0, runAt: at(-20)))
        let low = try await journal.insertID(newJob(priority: 5, runAt: at(-100)))
        let urgentTie2 = try await journal.insertID(newJob(priority: 0, runAt: at(-20)))
        let lowest = try await journal.insertID(newJob(priority: 9, runAt: at(-1000)))
        let claimed = try await journal.claim(limit: 10)
        #expect(claimed.map(\.id) == [urgentTie1, urgentTie2, late, low, lowest])
    }

    /// A claim's rows share their name and queue strings when the bytes are the same, and never
    /// when they differ: names past 15 bytes that differ in one byte, in length, or not at all, mixed.
    @Test func claimedNamesAndQueuesAreEachRowsOwn() async throws {
        let journal = try memoryJournal()
        let names = ["send-welcome-email", "send-welcome-email", "send-welcome-emaiL", "send-welcome-emails", "a", "send-welcome-email", ""]
        let queues = ["notifications-high", "notifications-high", "notifications-low", "q", "q", "notifications-high", "notifications-high"]
        var jobs: [NewJob] = []
        for (name, queue) in zip(names, queues) { jobs.append(NewJob(name: name, queue: queue, runAt: t0)) }
        _ = try await journal.insert(jobs, now: t0)
        let claimed = try await journal.claim(now: t0, limit: 10)
        #expect(claimed.map(\.name) == names)
        #expect(claimed.map(\.queue) == queues)
    }

    @Test func claimRespectsTheLimit() async throws {
        let journal = try memoryJournal()
        var ids: [JobID] = []
        for second in 0..<5 {
            ids.append(try await journal.insertID(newJob(runAt: at(Int64(-second)))))
        }
        let claimed = try await journal.claim(limit: 2)
        #expect(claimed.map(\.id) == [ids[4], ids[3]])
        #expect(try await journal.countsByState() == [.running: 2, .scheduled: 3])
        #expect(try await journal.claim(limit: 0).isEmpty)
    }

    @Test func claimSetsTheLeaseAndStartsAnAttempt() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        let claimed = try await journal.claim(owner: "worker-1", now: at(5))
        let job = try #require(claimed.first)
        #expect(job.id == id && job.state == .running && job.attempt == 1)
        #expect(job.leaseOwner == "worker-1" && job.leaseExpiresAt == at(65) && job.updatedAt == at(5))
        #expect(try await journal.job(id) == job)
        let attempts = try await journal.attempts(of: id)
        #expect(attempts == [AttemptRecord(jobID: id, attempt: 1, owner: "worker-1", startedAt: at(5))])
        // The running attempt is read from the job row: the claim wrote no attempt row.
        #expect(try await journal.attemptRowCount() == 0)
    }

    @Test func onlyTheNamedJobsAreClaimed() async throws {
        let journal = try memoryJournal()
        let odd = "we\"ird\\name\n\u{01}é"
        let email = try await journal.insertID(newJob("email"))
        _ = try await journal.insertID(newJob("report"))
        let weird = try await journal.insertID(newJob(odd))
        let claimed = try await journal.claim(names: ["email", odd, "absent"])
        #expect(Set(claimed.map(\.id)) == [email, weird])
        #expect(try await journal.claim(names: []).isEmpty)
        #expect(try await journal.countsByState() == [.running: 2, .scheduled: 1])
    }

    @Test func jobsNotYetDueAreNotClaimed() async throws {
        let journal = try memoryJournal()
        let due = try await journal.insertID(newJob(runAt: t0))
        let future = try await journal.insertID(newJob(runAt: at(86_400)))
        let farFuture = try await journal.insertID(newJob(runAt: .distantFuture))
        #expect(try await journal.claim(now: t0).map(\.id) == [due])
        #expect(try await journal.job(future)?.state == .scheduled)
        #expect(try await journal.job(farFuture)?.state == .scheduled)
        #expect(try await journal.claim(now: at(86_400)).map(\.id) == [future])
    }

    @Test func aJobWithNoAttemptsLeftIsNotClaimed() async throws {
        let journal = try memoryJournal()
        let spent = try await journal.insertID(newJob(maxAttempts: 0))
        #expect(try await journal.claim().isEmpty)
        #expect(try await journal.job(spent)?.state == .scheduled)
    }

    @Test(arguments: [false, true])
    func claimWalksJobsClaimWithoutSorting(filteringNames: Bool) async throws {
        let journal = try memoryJournal()
        let plan = try await journal.claimQueryPlan(filteringNames: filteringNames)
        #expect(plan.contains { $0.contains("USING INDEX jobs_claim") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    /// The reads every start and every poll makes never scan the table: with a million parked jobs a
    /// scan costs about 100 ms.
    @Test func startupAndPollReadsUseAnIndex() async throws {
        let journal = try memoryJournal()
        let orphans = try await journal.queryPlan(of: SQLiteJournal.orphansSQL)
        #expect(orphans.contains { $0.contains("USING INDEX jobs_state") }, "\(orphans)")
        let newest = try await journal.queryPlan(of: "SELECT max(id) FROM jobs")
        #expect(!newest.contains { $0.hasPrefix("SCAN") }, "\(newest)")
        let indexed = try await journal.queryPlan(of: SQLiteJournal.jobsInStateSQL)
        #expect(indexed.contains { $0.contains("USING INDEX jobs_state (<expr>=? AND rowid>?)") }, "\(indexed)")
        // The poll's page of new scheduled jobs, like a page of completed ones, walks the rowid.
        let polled = try await journal.queryPlan(of: SQLiteJournal.jobsByRowidSQL)
        #expect(polled.contains { $0.contains("INTEGER PRIMARY KEY (rowid>?)") }, "\(polled)")
        await journal.close()
    }

    @Test(arguments: JobDefaults.priorityRange)
    func dueEntriesWalkJobsClaimWithoutSorting(priority: Int) async throws {
        let journal = try memoryJournal()
        let plan = try await journal.dueEntriesQueryPlan(priority: priority)
        // Both arms seek jobs_claim: the cursor's run-at from the cursor's id on, then later run-ats.
        #expect(plan.contains { $0.contains("USING INDEX jobs_claim (priority=? AND run_at=? AND id>?)") }, "\(plan)")
        #expect(plan.contains { $0.contains("USING INDEX jobs_claim (priority=? AND run_at>? AND run_at<?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") || $0.contains("SCAN") }, "\(plan)")
        await journal.close()
    }
}
