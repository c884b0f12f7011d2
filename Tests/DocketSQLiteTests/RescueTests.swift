import DocketCore
import Testing

@testable import DocketSQLite

@Suite struct RescueTests {
    @Test func jobsOfAnotherOwnerAreRescued() async throws {
        let journal = try memoryJournal()
        let retriable = try await journal.insertID(newJob("a", maxAttempts: 3))
        let spent = try await journal.insertID(newJob("b", maxAttempts: 1))
        let mine = try await journal.insertID(newJob("c", runAt: at(1)))
        let scheduled = try await journal.insertID(newJob("d", runAt: at(500)))
        #expect(try await journal.claim(owner: "dead").count == 2)
        #expect(try await journal.claim(owner: "alive", now: at(1)).map(\.id) == [mine])
        let mineBefore = try await journal.job(mine)
        let scheduledBefore = try await journal.job(scheduled)

        let rescued = try await journal.rescueOrphans(currentOwner: "alive", now: at(30)) { job in
            job.runAt + .seconds(100)
        }

        #expect(rescued.map(\.job.id) == [retriable, spent])
        #expect(rescued.map(\.previousOwner) == ["dead", "dead"])
        let message = "interrupted: the process running attempt 1 stopped before it finished (owner dead)"

        let again = try #require(try await journal.job(retriable))
        #expect(again.state == .scheduled && again.attempt == 1 && again.runAt == at(100))
        #expect(again.leaseOwner == nil && again.finishedAt == nil && again.lastError == message)
        #expect(rescued[0].job == again)

        let discarded = try #require(try await journal.job(spent))
        #expect(discarded.state == .discarded && discarded.attempt == 1 && discarded.finishedAt == at(30))
        #expect(discarded.lastError == message && discarded.runAt == t0)

        for id in [retriable, spent] {
            let attempts = try await journal.attempts(of: id)
            #expect(attempts == [
                AttemptRecord(
                    jobID: id, attempt: 1, owner: "dead", startedAt: t0, finishedAt: at(30), outcome: .interrupted,
                    error: message)
            ])
        }
        #expect(try await journal.job(mine) == mineBefore)
        #expect(try await journal.attempts(of: mine).map(\.outcome) == [nil])
        #expect(try await journal.job(scheduled) == scheduledBefore)
    }

    @Test func jobsOfALiveOwnerStayRunningWhateverTheirLease() async throws {
        let journal = try memoryJournal()
        let live = try await journal.insertID(newJob("a", maxAttempts: 3))
        let dead = try await journal.insertID(newJob("b", maxAttempts: 3))
        #expect(try await journal.claim(owner: "live", limit: 1).count == 1)
        #expect(try await journal.claim(owner: "dead", limit: 1).count == 1)
        let rescued = try await journal.rescueOrphans(
            currentOwner: "me", now: at(10_000),
            isAlive: { $0 == "live" },
            retryAt: { _ in at(10_001) }, wasStarted: { _ in true })
        #expect(rescued.map(\.job.id) == [dead])
        #expect(try await journal.job(live)?.state == .running)
        #expect(try await journal.job(live)?.leaseOwner == "live")
    }

    @Test func aJobWhoseHandlerNeverStartedGetsItsAttemptBack() async throws {
        let journal = try memoryJournal()
        let started = try await journal.insertID(newJob("a", maxAttempts: 1))
        let waiting = try await journal.insertID(newJob("b", maxAttempts: 1))
        #expect(try await journal.claim(owner: "dead").count == 2)
        let rescued = try await journal.rescueOrphans(
            currentOwner: "alive", now: at(30), retryAt: { _ in at(40) }, wasStarted: { $0.id == started })
        #expect(rescued.map(\.job.id) == [started, waiting])
        // The one that started was on its only attempt: discarded, as any interrupted last attempt.
        #expect(try await journal.job(started)?.state == .discarded)
        // The one that never started is scheduled again at its own time, its attempt not spent.
        let back = try #require(try await journal.job(waiting))
        #expect(back.state == .scheduled && back.attempt == 0 && back.runAt == t0 && back.leaseOwner == nil)
        #expect(try await journal.attempts(of: waiting).map(\.outcome) == [.released])
        #expect(try await journal.claim(owner: "alive", now: at(31)).map(\.id) == [waiting])
    }

    @Test func aRunningJobWithNoOwnerIsRescued() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        // A claim through apply records no lease owner.
        try await journal.apply(JobChange(id: id, event: .claim), now: t0)
        let rescued = try await journal.rescueOrphans(currentOwner: "alive", now: at(1)) { _ in at(2) }
        #expect(rescued.map(\.job.id) == [id] && rescued.first?.previousOwner == nil)
        #expect(rescued.first?.job.lastError?.contains("no owner recorded") == true)
        #expect(try await journal.job(id)?.state == .scheduled)
    }

    @Test func nothingToRescueChangesNothing() async throws {
        let journal = try memoryJournal()
        let id = try await journal.insertID(newJob())
        _ = try await journal.claim(owner: "alive")
        let before = try await journal.job(id)
        #expect(try await journal.rescueOrphans(currentOwner: "alive", now: at(1)) { _ in at(2) }.isEmpty)
        #expect(try await journal.job(id) == before)
    }
}
