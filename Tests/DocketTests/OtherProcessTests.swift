import DocketCore
import DocketSQLite
import Docket
import DocketTesting
import Foundation
import Testing

/// A running scheduler sees what other processes do to its journal within its change-check interval
/// (25 ms of virtual time here), and reads nothing from the journal while nothing changes. "Another
/// process" is a second scheduler on the same file: another SQLite connection, which is what the
/// journal can tell apart.
@Suite(.timeLimit(.minutes(1)))
struct OtherProcessTests {
    struct Pair {
        let directory: URL
        let clock: ManualClock
        let runner: JobScheduler
        let other: JobScheduler
        let store: CountingStore

        init(clock sleepClock: SleepCountingClock? = nil) throws {
            directory = try JournalFileTests.temporaryDirectory()
            let path = directory.appendingPathComponent("shared.docket").path
            clock = sleepClock?.manual ?? ManualClock()
            var configuration = SchedulerConfiguration.testing(clock: clock)
            if let sleepClock { configuration.clock = sleepClock }
            var journal = JournalConfiguration(location: .file(path: path))
            journal.durability = .normal
            store = CountingStore(journal: try SQLiteJournal(configuration: journal))
            runner = JobScheduler(store: store, configuration: configuration)
            other = try JobScheduler(path: path, configuration: configuration)
        }

        func close() async {
            await other.close()
            await runner.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func jobsScheduledRunNowOrRetriedByAnotherProcessAreSeenWithin50ms() async throws {
        let pair = try Pair()
        try pair.runner.register(Note.self) { _, _ in }
        let task = Task { try await pair.runner.run() }
        try await pair.runner.waitUntilRunning()

        var succeeded = pair.runner.events(of: [.succeeded])
        let added = try await pair.other.schedule(Note(text: "added elsewhere")).id
        pair.clock.advance(by: .milliseconds(50))
        #expect(await firstEvent(in: succeeded) { $0.jobID == added } != nil)

        succeeded = pair.runner.events(of: [.succeeded])
        let parked = try await pair.other.schedule(Note(text: "parked"), .after(.seconds(3600))).id
        try await pair.other.runNow(parked)
        pair.clock.advance(by: .milliseconds(50))
        #expect(await firstEvent(in: succeeded) { $0.jobID == parked } != nil)

        await pair.runner.shutdown()
        try await task.value
        await pair.close()
    }

    @Test func nothingIsReadFromTheJournalWhileNothingChanges() async throws {
        let pair = try Pair()
        try pair.runner.register(Note.self) { _, _ in }
        let succeeded = pair.runner.events(of: [.succeeded])
        let task = Task { try await pair.runner.run() }
        try await pair.runner.waitUntilRunning()
        let first = try await pair.runner.schedule(Note(text: "settle")).id
        #expect(await firstEvent(in: succeeded) { $0.jobID == first } != nil)
        // Settle: a few checks after the job's outcome was journaled.
        for _ in 0..<4 {
            let checks = pair.store.counts.changeChecks
            pair.clock.advance(by: .milliseconds(25))
            await pair.store.waitForChangeChecks(atLeast: checks + 1)
        }
        let before = pair.store.counts
        // Ten idle seconds, in steps of the check interval: a look at the journal's counter each.
        for step in 1...400 {
            pair.clock.advance(by: .milliseconds(25))
            await pair.store.waitForChangeChecks(atLeast: before.changeChecks + step)
        }
        let after = pair.store.counts
        #expect(after.changeChecks == before.changeChecks + 400)
        #expect(after.reads == before.reads)
        #expect(after.writes == before.writes)
        await pair.runner.shutdown()
        try await task.value
        await pair.close()
    }

    /// A change check that reads slowly (a loaded machine) is waited for, not polled: the loop
    /// sleeps until its next deadline rather than waking at once, again and again, for a check that
    /// is still on its way. Seen through the clock: a sleep asked for a deadline already past is a
    /// wake-up at once.
    @Test func aSlowChangeCheckDoesNotSpinTheLoop() async throws {
        let clock = SleepCountingClock()
        let pair = try Pair(clock: clock)
        try pair.runner.register(Note.self) { _, _ in }
        let task = Task { try await pair.runner.run() }
        try await pair.runner.waitUntilRunning()
        for _ in 0..<2 {
            let checks = pair.store.counts.changeChecks
            pair.clock.advance(by: .milliseconds(25))
            await pair.store.waitForChangeChecks(atLeast: checks + 1)
        }
        pair.store.holdChangeChecks()
        let checks = pair.store.counts.changeChecks
        pair.clock.advance(by: .milliseconds(25))
        await pair.store.waitForChangeChecks(atLeast: checks + 1)
        let before = clock.sleepsAlreadyDue
        // Past the held check's next deadline; then a job goes through the loop meanwhile.
        pair.clock.advance(by: .milliseconds(100))
        let succeeded = pair.runner.events(of: [.succeeded])
        let id = try await pair.runner.schedule(Note(text: "while a check reads")).id
        #expect(await firstEvent(in: succeeded) { $0.jobID == id } != nil)
        #expect(clock.sleepsAlreadyDue - before <= 3)
        pair.store.releaseChangeChecks()
        await pair.runner.shutdown()
        try await task.value
        await pair.close()
    }
}

/// A manual clock that counts the sleeps asked for a deadline it has already reached.
final class SleepCountingClock: Clock, Sendable {
    typealias Instant = ManualClock.Instant

    let manual = ManualClock()
    private let alreadyDue = Locked(0)

    var sleepsAlreadyDue: Int { alreadyDue.withLock { $0 } }
    var now: Instant { manual.now }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        if deadline <= manual.now { alreadyDue.withLock { $0 += 1 } }
        try await manual.sleep(until: deadline, tolerance: tolerance)
    }
}

/// A journal that counts what the scheduler asks of it.
final class CountingStore: JobStore, ForwardingScheduleStore, ForwardingQueueStore {
    struct Counts: Sendable {
        var reads = 0
        var writes = 0
        var changeChecks = 0
    }

    let journal: SQLiteJournal
    /// Who keeps the runners' liveness: the journal's own registry unless a test gives another.
    let registry: (any RunnerRegistryStore)?
    private let counter = Locked(Counts())
    private let checkWaiters = Locked<[(Int, Ticket, CheckedContinuation<Bool, Never>)]>([])

    init(journal: SQLiteJournal, registry: (any RunnerRegistryStore)? = nil) {
        self.journal = journal
        self.registry = registry
    }

    var scheduleStore: any ScheduleStore { journal }
    var queueStore: any QueueStore { journal }

    var counts: Counts { counter.withLock { $0 } }

    private func read() { counter.withLock { $0.reads += 1 } }
    private func write() { counter.withLock { $0.writes += 1 } }

    func insert(_ jobs: [NewJob], now: Timestamp) async throws -> [InsertResult] {
        write()
        return try await journal.insert(jobs, now: now)
    }

    // Counted as a read: a pass with nothing to prune reads once and writes nothing.
    func prune(_ request: PruneRequest) async throws -> PruneBatch {
        read()
        return try await journal.prune(request)
    }

    func prunable(_ request: PruneRequest) async throws -> [JobState: Int] {
        read()
        return try await journal.prunable(request)
    }

    func claim(_ request: ClaimRequest) async throws -> [JobRecord] {
        write()
        return try await journal.claim(request)
    }

    func registerRunner(owner: String, lease: RunnerLease) throws -> (any RunnerRegistration)? {
        guard let registry else { return try journal.registerRunner(owner: owner, lease: lease) }
        return try registry.registerRunner(owner: owner, lease: lease)
    }

    func apply(_ changes: [JobChange], now: Timestamp) async throws -> [Result<JobState, TransitionRefusal>] {
        write()
        return try await journal.apply(changes, now: now)
    }

    func commit(_ changes: [JobChange], claim: ClaimRequest?, now: Timestamp) async throws -> TickResult {
        write()
        return try await journal.commit(changes, claim: claim, now: now)
    }

    func rescueOrphans(
        currentOwner: String, now: Timestamp, isAlive: @escaping @Sendable (String) -> Bool,
        retryAt: @escaping @Sendable (JobRecord) -> Timestamp, wasStarted: @escaping @Sendable (JobRecord) -> Bool
    ) async throws -> [RescuedJob] {
        write()
        return try await journal.rescueOrphans(currentOwner: currentOwner, now: now, isAlive: isAlive, retryAt: retryAt, wasStarted: wasStarted)
    }

    func dueEntries(through horizon: Timestamp, after cursor: DueEntry?, limit: Int) async throws -> [DueEntry] {
        read()
        return try await journal.dueEntries(through: horizon, after: cursor, limit: limit)
    }

    func job(_ id: JobID) async throws -> JobRecord? {
        try await journal.job(id)
    }

    func attempts(of id: JobID) async throws -> [AttemptRecord] {
        try await journal.attempts(of: id)
    }

    func countsByState() async throws -> [JobState: Int] {
        try await journal.countsByState()
    }

    func jobs(in state: JobState, after afterID: JobID?, limit: Int) async throws -> [JobRecord] {
        read()
        return try await journal.jobs(in: state, after: afterID, limit: limit)
    }

    func jobCounts() async throws -> [JobCountKey: Int] {
        try await journal.jobCounts()
    }

    func earliestScheduledRunAt() async throws -> Timestamp? {
        try await journal.earliestScheduledRunAt()
    }

    func jobs(matching request: JobListRequest) async throws -> JobListPage {
        read()
        return try await journal.jobs(matching: request)
    }

    func newestJobID() async throws -> JobID? {
        read()
        return try await journal.newestJobID()
    }

    func activity(after cursor: ActivityCursor?, limit: Int) async throws -> ([ActivityEntry], ActivityCursor) {
        try await journal.activity(after: cursor, limit: limit)
    }

    func stillRunning(_ ids: [JobID]) async throws -> Set<JobID> {
        try await journal.stillRunning(ids)
    }

    func recentEnds(counting ranges: [Range<Timestamp>], latenessSince: Timestamp, latenessSample: Int) async throws -> RecentEnds {
        read()
        return try await journal.recentEnds(counting: ranges, latenessSince: latenessSince, latenessSample: latenessSample)
    }

    func changesByOthers() async throws -> Int64? {
        let checks = counter.withLock { counts in
            counts.changeChecks += 1
            return counts.changeChecks
        }
        if gate.withLock({ $0.held }) {
            // Held: the check counts as made (its waiters go on) and answers once released.
            resumeCheckWaiters(through: checks)
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = gate.withLock { state -> Bool in
                    guard state.held else { return false }
                    state.waiting.append(continuation)
                    return true
                }
                if !waits { continuation.resume() }
            }
        }
        let value = try await journal.changesByOthers()
        resumeCheckWaiters(through: checks)
        return value
    }

    private let gate = Locked<(held: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    /// Change checks from now on wait until ``releaseChangeChecks()``: a slow read of the counter.
    func holdChangeChecks() { gate.withLock { $0.held = true } }

    func releaseChangeChecks() {
        let waiting = gate.withLock { state in
            state.held = false
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.resume() }
    }

    private func resumeCheckWaiters(through checks: Int) {
        let ready = checkWaiters.withLock { waiters in
            defer { waiters.removeAll { $0.0 <= checks } }
            return waiters.filter { $0.0 <= checks }.map(\.2)
        }
        ready.forEach { $0.resume(returning: true) }
    }

    /// Returns once the scheduler has read the change counter `count` times; records an issue and
    /// returns when that does not happen within 30 s of real time (a bound against hangs).
    func waitForChangeChecks(atLeast count: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        let reached = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.changeChecks(atLeast: count) }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !reached { Issue.record("the scheduler did not look at the change counter \(count) times", sourceLocation: sourceLocation) }
    }

    private func changeChecks(atLeast count: Int) async -> Bool {
        let ticket = Ticket()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let ready = checkWaiters.withLock { waiters -> Bool? in
                    if ticket.isCancelled { return false }
                    guard counter.withLock({ $0.changeChecks }) < count else { return true }
                    waiters.append((count, ticket, continuation))
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = checkWaiters.withLock { waiters -> CheckedContinuation<Bool, Never>? in
                ticket.cancel()
                guard let index = waiters.firstIndex(where: { $0.1 === ticket }) else { return nil }
                return waiters.remove(at: index).2
            }
            waiter?.resume(returning: false)
        }
    }

    func close() async {
        await journal.close()
    }
}

/// One waiter's identity, and whether its task was cancelled before it could wait.
final class Ticket: Sendable {
    private let cancelled = Locked(false)
    var isCancelled: Bool { cancelled.withLock { $0 } }
    func cancel() { cancelled.withLock { $0 = true } }
}
