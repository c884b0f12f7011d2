import DocketCore
import Testing

@testable import DocketSQLite

/// `job_counts` against the jobs it counts, after every kind of write the journal makes.
@Suite struct JobCountsTests {
    /// After a seeded random mix of inserts, claims, ends of every kind, cancels, revives, reschedules,
    /// a crash rescue and prunes, the kept counts equal a GROUP BY over the jobs, at every step.
    @Test(arguments: [UInt64(1), 2, 3])
    func countsStayExactThroughARandomMixOfWrites(seed: UInt64) async throws {
        let journal = try memoryJournal()
        var random = SplitMix64(seed: seed)
        var now = t0
        var statesSeen: Set<JobState> = []
        for step in 0..<60 {
            now = now + .seconds(1)
            switch random.next() % 7 {
            case 0, 1:
                let jobs = (0..<Int(random.next() % 6)).map { index in
                    NewJob(
                        name: "n\(random.next() % 3)", queue: "q\(random.next() % 2)", runAt: now,
                        maxAttempts: 2, uniqueKey: index == 0 && step % 5 == 0 ? "key\(step % 3)" : nil)
                }
                _ = try await journal.insert(jobs, now: now)
            case 2:
                _ = try await journal.claim(owner: random.next() % 4 == 0 ? "B" : "A", now: now, limit: Int(random.next() % 5))
            case 3:
                let running = try await journal.jobs(in: .running, after: nil, limit: 100)
                let changes = running.map { job in
                    let events: [JobEvent] = [
                        .complete, .retry(runAt: now), .discard, .snooze(runAt: now), .release(runAt: now), .cancel,
                    ]
                    return JobChange(
                        id: job.id, event: events[Int(random.next() % 6)], expectedAttempt: job.attempt, error: "boom")
                }
                let claim = ClaimRequest(dueBy: now, limit: 2, owner: "A", leaseExpiresAt: now + .seconds(60), now: now)
                _ = try await journal.commit(changes, claim: claim, now: now)
            case 4:
                for state in [JobState.scheduled, .discarded, .cancelled] {
                    for job in try await journal.jobs(in: state, after: nil, limit: 3) {
                        let event: JobEvent = switch (state, random.next() % 2) {
                        case (.scheduled, 0): .cancel
                        case (.scheduled, _): .reschedule(runAt: now + .seconds(5))
                        default: .revive(runAt: now)
                        }
                        _ = try await journal.result(of: JobChange(id: job.id, event: event), now: now)
                    }
                }
            case 5:
                let retryAt = now
                _ = try await journal.rescueOrphans(currentOwner: "A", now: now, retryAt: { _ in retryAt })
            default:
                let cutoff = now - .seconds(Int64(random.next() % 20))
                _ = try await journal.prune(
                    PruneRequest(cutoffs: [.completed: cutoff, .discarded: cutoff, .cancelled: cutoff], batchSize: 4))
            }
            let drift = try await journal.countsDrift()
            #expect(drift.isEmpty, "step \(step): \(drift)")
            statesSeen.formUnion(try await journal.jobCounts().filter { $0.value > 0 }.keys.map(\.state))
        }
        let counted = try await journal.read { try SQLiteJournal.countedJobs(on: $0) }
        #expect(try await journal.jobCounts() == counted)
        // The mix reached every state, or the check above would prove little.
        #expect(statesSeen == Set(JobState.allCases), "\(statesSeen)")
        await journal.close()
    }

    /// Counts by state are the sums of the kept counts, and ignore keys whose jobs are all gone.
    @Test func countsByStateSumTheKeptCounts() async throws {
        let journal = try memoryJournal()
        _ = try await journal.insert(
            [NewJob(name: "a", queue: "x", runAt: t0), NewJob(name: "b", queue: "x", runAt: t0), NewJob(name: "a", queue: "y", runAt: t0)],
            now: t0)
        let claimed = try await journal.claim(limit: 1)
        try await journal.apply(JobChange(id: claimed[0].id, event: .complete, expectedAttempt: 1), now: at(1))
        _ = try await journal.prune(PruneRequest(cutoffs: [.completed: at(5)], batchSize: 10))
        #expect(try await journal.countsByState() == [.scheduled: 2])
        #expect(
            try await journal.jobCounts() == [
                JobCountKey(queue: "x", name: "b", state: .scheduled): 1, JobCountKey(queue: "y", name: "a", state: .scheduled): 1,
            ])
        await journal.close()
    }

    /// A counts table that drifted (written behind the journal's back) is reported, and a rebuild
    /// makes it exact again.
    @Test func aRebuildRepairsCountsThatDrifted() async throws {
        let journal = try memoryJournal()
        _ = try await journal.insert([newJob("a"), newJob("a"), newJob("b")], now: t0)
        _ = try await journal.write { try $0.run("UPDATE job_counts SET count = 7 WHERE name = 'a'") }
        _ = try await journal.write { try $0.run("DELETE FROM job_counts WHERE name = 'b'") }
        let drift = try await journal.countsDrift()
        #expect(drift.count == 2)
        #expect(drift[JobCountKey(queue: "default", name: "a", state: .scheduled)]?.kept == 7)
        #expect(drift[JobCountKey(queue: "default", name: "a", state: .scheduled)]?.counted == 2)
        #expect(try await journal.rebuildCounts() == 2)
        #expect(try await journal.countsDrift().isEmpty)
        #expect(try await journal.countsByState() == [.scheduled: 3])
        await journal.close()
    }

    /// The earliest run-at of a scheduled job, across priorities; running and ended jobs do not count.
    @Test func theEarliestScheduledRunAtLooksAtEveryPriority() async throws {
        let journal = try memoryJournal()
        #expect(try await journal.earliestScheduledRunAt() == nil)
        _ = try await journal.insert(
            [newJob(priority: 0, runAt: at(30)), newJob(priority: 7, runAt: at(10)), newJob(priority: 3, runAt: at(20))], now: t0)
        #expect(try await journal.earliestScheduledRunAt() == at(10))
        _ = try await journal.claim(now: at(10), limit: 1)
        #expect(try await journal.earliestScheduledRunAt() == at(20))
        await journal.close()
    }

    /// The counting's shortcut for an event's starting state agrees with the lifecycle's table.
    @Test func theOnlyExpectedStateIsTheLifecyclesWhenThereIsOne() {
        for kind in JobEvent.Kind.allCases {
            let states = kind.expectedStates
            #expect(SQLiteJournal.onlyExpectedState(kind) == (states.count == 1 ? states[0] : nil), "\(kind)")
        }
    }

    /// A transaction that changes jobs of many (queue, name) pairs, more than the deltas compare one
    /// by one, keeps them exact too: 40 names in two queues, inserted, claimed, ended and pruned in
    /// interleaved order within single transactions.
    @Test func manyPairsInOneTransactionAreCountedExactly() async throws {
        let journal = try memoryJournal()
        let jobs = (0..<200).map { index in NewJob(name: "n\(index % 40)", queue: "q\(index % 2)", runAt: t0) }
        _ = try await journal.insert(jobs, now: t0)
        #expect(try await journal.countsDrift().isEmpty)
        let claimed = try await journal.claim(now: t0, limit: 150)
        #expect(claimed.count == 150)
        let changes = claimed.enumerated().map { offset, job in
            JobChange(id: job.id, event: offset % 3 == 0 ? .discard : .complete, expectedAttempt: job.attempt)
        }
        _ = try await journal.apply(changes, now: at(1))
        #expect(try await journal.countsDrift().isEmpty)
        _ = try await journal.prune(PruneRequest(cutoffs: [.completed: at(5), .discarded: at(5)], batchSize: 1_000))
        #expect(try await journal.countsDrift().isEmpty)
        #expect(try await journal.countsByState() == [.scheduled: 50])
        await journal.close()
    }

    /// Each event kind's statement slot is its position among the kinds, so that no two share one.
    @Test func eachKindHasItsOwnStatementSlots() {
        #expect(JobEvent.Kind.allCases.map(\.ordinal) == Array(0..<JobEvent.Kind.allCases.count))
        let indices = StatementSlot.updates.map(\.index) + StatementSlot.endAttempts.compactMap { $0?.index }
            + [StatementSlot.countDelta.index, StatementSlot.countKey.index]
        #expect(Set(indices).count == indices.count)
        #expect(indices.allSatisfy { (0..<StatementSlot.count).contains($0) })
        for kind in JobEvent.Kind.allCases {
            #expect(StatementSlot.updates[kind.ordinal].sql == SQLiteJournal.updateSQL(for: kind))
            #expect(StatementSlot.endAttempts[kind.ordinal]?.sql == SQLiteJournal.endAttemptSQL(for: kind))
        }
    }
}
