import Docket
import DocketCore
import DocketSQLite
import ProcessSupport

/// A ``JobStore`` that prints a `phase:` marker line just before each write reaches the journal, so
/// that a parent waiting for a marker kills the process while that write is in flight.
///
/// | marker | the write in flight |
/// |---|---|
/// | `phase:insert` | scheduling a batch of jobs |
/// | `phase:claim` | a batch claim of due jobs (with the tick's outcomes, in one transaction) |
/// | `phase:apply` | attempts' outcomes (a tick), or a cancel, often group-committed with others |
/// | `phase:rescue` | start-up crash recovery |
/// | `phase:fire` | a firing pass over the due schedules |
struct MarkingStore: JobStore, ForwardingScheduleStore, ForwardingQueueStore {
    let journal: SQLiteJournal

    var scheduleStore: any ScheduleStore { journal }
    var queueStore: any QueueStore { journal }

    /// A schedules' firing pass (it writes only when a schedule is due): marked `phase:fire`.
    func fireDueSchedules(
        now: Timestamp, limit: Int, decide: @escaping @Sendable (ScheduleRecord, Bool) -> ScheduleFiringDecision
    ) async throws -> ScheduleFiringReport {
        printLine("phase:fire")
        return try await journal.fireDueSchedules(now: now, limit: limit, decide: decide)
    }

    /// A prune batch; unmarked: the torture's jobs end within the run, long before any cutoff.
    func prune(_ request: PruneRequest) async throws -> PruneBatch {
        try await journal.prune(request)
    }

    func prunable(_ request: PruneRequest) async throws -> [JobState: Int] {
        try await journal.prunable(request)
    }

    func insert(_ jobs: [NewJob], now: Timestamp) async throws -> [InsertResult] {
        printLine("phase:insert")
        return try await journal.insert(jobs, now: now)
    }

    func claim(_ request: ClaimRequest) async throws -> [JobRecord] {
        printLine("phase:claim")
        return try await journal.claim(request)
    }

    func apply(_ changes: [JobChange], now: Timestamp) async throws -> [Result<JobState, TransitionRefusal>] {
        printLine("phase:apply")
        return try await journal.apply(changes, now: now)
    }

    /// The scheduler's tick: ended attempts and the next claim in one transaction; it is marked as
    /// both, so a kill on either marker lands while that transaction is in flight.
    func commit(_ changes: [JobChange], claim: ClaimRequest?, now: Timestamp) async throws -> TickResult {
        if !changes.isEmpty { printLine("phase:apply") }
        if claim != nil { printLine("phase:claim") }
        return try await journal.commit(changes, claim: claim, now: now)
    }

    func commit(
        _ changes: [JobChange], claim: ClaimRequest?, now: Timestamp,
        completion: @escaping @Sendable (Result<TickResult, any Error>) -> Void
    ) {
        if !changes.isEmpty { printLine("phase:apply") }
        if claim != nil { printLine("phase:claim") }
        journal.commit(changes, claim: claim, now: now, completion: completion)
    }

    func rescueOrphans(
        currentOwner: String, now: Timestamp, isAlive: @escaping @Sendable (String) -> Bool,
        retryAt: @escaping @Sendable (JobRecord) -> Timestamp, wasStarted: @escaping @Sendable (JobRecord) -> Bool
    ) async throws -> [RescuedJob] {
        printLine("phase:rescue")
        return try await journal.rescueOrphans(
            currentOwner: currentOwner, now: now, isAlive: isAlive, retryAt: retryAt, wasStarted: wasStarted)
    }

    func dueEntries(through horizon: Timestamp, after cursor: DueEntry?, limit: Int) async throws -> [DueEntry] {
        try await journal.dueEntries(through: horizon, after: cursor, limit: limit)
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
        try await journal.jobs(in: state, after: afterID, limit: limit)
    }

    func activity(after cursor: ActivityCursor?, limit: Int) async throws -> ([ActivityEntry], ActivityCursor) {
        try await journal.activity(after: cursor, limit: limit)
    }

    func stillRunning(_ ids: [JobID]) async throws -> Set<JobID> {
        try await journal.stillRunning(ids)
    }

    func jobCounts() async throws -> [JobCountKey: Int] {
        try await journal.jobCounts()
    }

    func earliestScheduledRunAt() async throws -> Timestamp? {
        try await journal.earliestScheduledRunAt()
    }

    func jobs(matching request: JobListRequest) async throws -> JobListPage {
        try await journal.jobs(matching: request)
    }

    func recentEnds(counting ranges: [Range<Timestamp>], latenessSince: Timestamp, latenessSample: Int) async throws -> RecentEnds {
        try await journal.recentEnds(counting: ranges, latenessSince: latenessSince, latenessSample: latenessSample)
    }

    // The journal's own leadership, so that the torture's peers elect one leader as schedulers do.
    func tryLead(owner: String) async throws -> Bool {
        try await journal.tryLead(owner: owner)
    }

    func resignLeadership(owner: String) async {
        await journal.resignLeadership(owner: owner)
    }

    // The journal's own runner registry, so that the torture's peers see each other live and dead as
    // schedulers do.
    func registerRunner(owner: String, lease: RunnerLease) throws -> (any RunnerRegistration)? {
        try journal.registerRunner(owner: owner, lease: lease)
    }

    func changesByOthers() async throws -> Int64? {
        try await journal.changesByOthers()
    }

    func newestJobID() async throws -> JobID? {
        try await journal.newestJobID()
    }

    func close() async {
        await journal.close()
    }
}
