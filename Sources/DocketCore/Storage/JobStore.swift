/// A change a store applies as a compare-and-set: only while the job is in the event's expected state
/// (and, when given, on the expected attempt). Otherwise nothing changes and the store says why.
package struct JobChange: Sendable, Hashable {
    /// The job to change.
    package var id: JobID
    /// What happens to it.
    package var event: JobEvent
    /// The attempt the caller saw; nil for user commands, which act on any attempt.
    package var expectedAttempt: Int?
    /// The error text for `retry` and `discard`, kept in the job and its attempt row.
    package var error: String?

    /// A change of job `id` by `event`, expecting `expectedAttempt` when given.
    package init(id: JobID, event: JobEvent, expectedAttempt: Int? = nil, error: String? = nil) {
        self.id = id
        self.event = event
        self.expectedAttempt = expectedAttempt
        self.error = error
    }
}

/// What to claim: due jobs in (priority, run-at, id) order.
package struct ClaimRequest: Sendable, Hashable {
    /// Claim jobs whose run-at is at or before this instant.
    package var dueBy: Timestamp
    /// At most this many.
    package var limit: Int
    /// The claiming scheduler instance; becomes each job's lease owner.
    package var owner: String
    /// The lease expiry written on each claimed job.
    package var leaseExpiresAt: Timestamp
    /// Only jobs with these names (those with a handler); nil claims any name.
    package var names: [String]?
    /// The time of the claim (attempt start, updated-at).
    package var now: Timestamp

    /// A claim of up to `limit` jobs due by `dueBy` for `owner`.
    package init(
        dueBy: Timestamp, limit: Int, owner: String, leaseExpiresAt: Timestamp, names: [String]? = nil,
        now: Timestamp
    ) {
        self.dueBy = dueBy
        self.limit = limit
        self.owner = owner
        self.leaseExpiresAt = leaseExpiresAt
        self.names = names
        self.now = now
    }
}

/// A scheduled job as the timer index needs it.
package struct DueEntry: Sendable, Hashable {
    /// The job.
    package var id: JobID
    /// When it is due.
    package var runAt: Timestamp
    /// Its claim priority.
    package var priority: Int
    /// Its name, which says whether a handler can take it.
    package var name: String

    /// An entry for job `id`.
    package init(id: JobID, runAt: Timestamp, priority: Int, name: String) {
        self.id = id
        self.runAt = runAt
        self.priority = priority
        self.name = name
    }
}

/// A job crash recovery found running under another instance, and what became of it.
package struct RescuedJob: Sendable, Hashable {
    /// The job after the rescue: ``JobState/scheduled`` or ``JobState/discarded``.
    package var job: JobRecord
    /// The instance that had been running it.
    package var previousOwner: String?

    /// A rescued `job` that `previousOwner` had been running.
    package init(job: JobRecord, previousOwner: String?) {
        self.job = job
        self.previousOwner = previousOwner
    }
}

/// The storage boundary: everything the scheduler needs from durable storage.
///
/// Each mutating call is one transaction: it happens entirely or not at all, and when it returns, its
/// effect is as durable as the store's durability setting promises. The protocol speaks in jobs and
/// events, never in SQL, so that a store on another database can implement it.
///
/// Several schedulers, in several processes, may run one store. What that takes is the store's, in
/// three parts a store implements without changes to the scheduler: the liveness of the runners
/// (``RunnerRegistryStore``), the rescue of the jobs of dead ones
/// (``rescueOrphans(currentOwner:now:isAlive:retryAt:wasStarted:)``) and the leadership for the work
/// done once (``LeadershipStore``). Their defaults suit a store only one scheduler runs.
package protocol JobStore: ScheduleStore, QueueStore, LeadershipStore, RunnerRegistryStore {
    /// Inserts `jobs` atomically: all or none.
    ///
    /// A job whose unique key another job holds (per the holder's ``UniqueScope``), or an earlier job
    /// of the same batch, is not inserted; its result carries the holder's id and `isDuplicate`.
    /// Results are in the order of `jobs`.
    func insert(_ jobs: [NewJob], now: Timestamp) async throws -> [InsertResult]

    /// Claims due jobs in (priority, run-at, id) order, in one transaction: each becomes
    /// ``JobState/running``, counts an attempt, gets the lease, and starts an attempt that
    /// ``attempts(of:)`` lists as open.
    ///
    /// Queue limits and pauses (see ``QueueStore``) are read and honoured inside that transaction:
    /// no queue is claimed past its concurrency limit or its rate window, a paused queue not at all,
    /// and when any queue is declared or paused, the room is shared fairly among the queues with due
    /// jobs (``QueueShares``), each claimed in (priority, run-at, id) order. With no queue declared
    /// or paused, one (priority, run-at, id) order over every queue.
    func claim(_ request: ClaimRequest) async throws -> [JobRecord]

    /// Applies each change as a compare-and-set on its expected state and attempt.
    ///
    /// A change whose expectation does not hold changes nothing and yields a ``TransitionRefusal``.
    /// Results are in the order of `changes`.
    func apply(_ changes: [JobChange], now: Timestamp) async throws -> [Result<JobState, TransitionRefusal>]

    /// Applies `changes`, then claims per `claim` when given, in one transaction: the scheduler's tick,
    /// which records the attempts that ended and refills their slots with one commit.
    func commit(_ changes: [JobChange], claim: ClaimRequest?, now: Timestamp) async throws -> TickResult

    /// The tick as ``commit(_:claim:now:)``, without waiting: `completion` receives the result, in the
    /// order the ticks were sent. Stores that can answer from their writer's thread save the caller a
    /// hop through a waiting task.
    func commit(
        _ changes: [JobChange], claim: ClaimRequest?, now: Timestamp,
        completion: @escaping @Sendable (Result<TickResult, any Error>) -> Void
    )

    /// Moves every job left running by a dead owner (one other than `currentOwner` for which
    /// `isAlive` is false, or no owner) back to scheduled at `retryAt(job)` (its attempt stays
    /// counted), or to discarded when its attempts are spent, closing its attempt as interrupted. A
    /// job for which `wasStarted` is false was claimed but its handler never started: it is given
    /// back as ``JobEvent/release(runAt:)`` does, at its own run-at, and its attempt does not count,
    /// so that a crash never discards a job that did not run.
    ///
    /// The contract for several processes on one store: each process claims under its own owner
    /// name, and the caller's `isAlive` tells, without clocks, whether the process of an owner still
    /// runs. The scheduler answers it from this store's own liveness, its ``RunnerRegistryStore``
    /// (``RunnerRegistration/isAlive(_:)``: for a file journal, whether the owner still holds its lock
    /// file and beats within the lease), so a store that keeps its runners' liveness its own way
    /// needs no change to the scheduler. A store must leave every job
    /// of a live owner running, whatever its lease says, and must rescue each job in one transaction
    /// guarded by its state and attempt, so that two processes rescuing at once rescue each job once
    /// and a late end from the dead owner's attempt is refused. `isAlive` may be called inside the
    /// store's transaction; an owner once dead never comes back (owner names are not reused).
    func rescueOrphans(
        currentOwner: String, now: Timestamp, isAlive: @escaping @Sendable (String) -> Bool,
        retryAt: @escaping @Sendable (JobRecord) -> Timestamp, wasStarted: @escaping @Sendable (JobRecord) -> Bool
    ) async throws -> [RescuedJob]

    /// Scheduled jobs due at or before `horizon`, in (run-at, id) order, after `cursor` when given.
    func dueEntries(through horizon: Timestamp, after cursor: DueEntry?, limit: Int) async throws -> [DueEntry]

    /// One job, or nil.
    func job(_ id: JobID) async throws -> JobRecord?

    /// Every attempt of a job, oldest first.
    func attempts(of id: JobID) async throws -> [AttemptRecord]

    /// Every attempt of each job in `ids`, oldest first, by job; jobs without attempts are absent.
    func attempts(ofJobs ids: [JobID]) async throws -> [JobID: [AttemptRecord]]

    /// How many jobs are in each state (states with none are absent or zero).
    ///
    /// Exact as of one snapshot, and cheap whatever the number of jobs: a store keeps the counts as
    /// it changes jobs, in the same transaction, rather than counting rows when asked.
    func countsByState() async throws -> [JobState: Int]

    /// How many jobs each (queue, name, state) has, as ``countsByState()`` keeps them; keys with no
    /// jobs are absent or zero. The number of keys grows with the names and queues in use, never
    /// with the jobs.
    func jobCounts() async throws -> [JobCountKey: Int]

    /// The run-at of the scheduled job due first (the earliest run-at of any scheduled job, at any
    /// priority), nil when no job is scheduled. Costs a few index probes, not a scan.
    func earliestScheduledRunAt() async throws -> Timestamp?

    /// One page of the jobs that `request` matches, in its order: its states one after another,
    /// each in id order. The page reads at most `request.examineLimit` rows; when it stops there
    /// with fewer than `request.limit` matches, its cursor says where to go on. One snapshot.
    func jobs(matching request: JobListRequest) async throws -> JobListPage

    /// Jobs in `state` in id order, after `afterID` when given, at most `limit`.
    func jobs(in state: JobState, after afterID: JobID?, limit: Int) async throws -> [JobRecord]

    /// The largest job id so far, nil when there is no job. Ids only grow, so the scheduler's poll
    /// reads just the jobs added after it (by any process) instead of reloading its whole horizon.
    func newestJobID() async throws -> JobID?

    /// The jobs among `ids` that are still running. A scheduler asks about the attempts it runs when
    /// another process changed the journal: an attempt whose job is no longer running there (an
    /// operator cancelled it) is stopped.
    func stillRunning(_ ids: [JobID]) async throws -> Set<JobID>

    /// What happened to jobs since `cursor`, oldest first, at most about `limit` entries of each
    /// kind, and the cursor to read on from; with no cursor, nothing, and the cursor of the present.
    /// Every kind is read in the order of an index (ids, attempt rows, end times per state, the
    /// running jobs), so a read costs what changed, never the size of the journal. A job that
    /// started and ended between two reads shows only its end.
    func activity(after cursor: ActivityCursor?, limit: Int) async throws -> ([ActivityEntry], ActivityCursor)

    /// How many jobs ended (completed, discarded, cancelled) in each of `ranges` of end times, per
    /// state, and the lateness of the last attempt of up to `latenessSample` of the most recent
    /// completed and of the most recent discarded jobs that ended at or after `latenessSince`. Each
    /// count is a range of the index of end times, so its cost is the ends in that range, never the
    /// size of the journal. One snapshot.
    func recentEnds(counting ranges: [Range<Timestamp>], latenessSince: Timestamp, latenessSample: Int) async throws -> RecentEnds

    /// A value that changes whenever another connection (another process, or another scheduler on the
    /// same file) commits a change; nil when the store cannot tell. The scheduler reads it often, so
    /// it must cost no more than a few microseconds and never wait for a write to finish.
    func changesByOthers() async throws -> Int64?

    /// Deletes up to `request.batchSize` ended jobs that finished before their state's cutoff, with
    /// their attempts, in one transaction: each delete expects the job's state to be the ended state
    /// the cutoff is for, so a job that is scheduled or running is never deleted. The newest job
    /// (the largest id) is kept whatever its age, so that no id is ever given to a second job. A
    /// store that finds nothing to delete need not write at all.
    func prune(_ request: PruneRequest) async throws -> PruneBatch

    /// How many jobs ``prune(_:)`` would delete, over all its batches, per state; changes nothing.
    func prunable(_ request: PruneRequest) async throws -> [JobState: Int]

    /// Finishes pending work and releases the store's resources. Later calls fail.
    func close() async
}

/// What ``JobStore/commit(_:claim:now:)`` did.
package struct TickResult: Sendable {
    /// One result per change, in order.
    package var changes: [Result<JobState, TransitionRefusal>]
    /// The jobs claimed, in (priority, run-at, id) order within each queue.
    package var claimed: [JobRecord]
    /// What queue limits held back, when the claim took fewer than it asked for because of them.
    package var hold: ClaimHold?

    /// The results of one tick.
    package init(changes: [Result<JobState, TransitionRefusal>], claimed: [JobRecord], hold: ClaimHold? = nil) {
        self.changes = changes
        self.claimed = claimed
        self.hold = hold
    }
}

extension JobStore {
    /// Applies, then claims, in two transactions: for stores that cannot do both in one.
    package func commit(_ changes: [JobChange], claim: ClaimRequest?, now: Timestamp) async throws -> TickResult {
        let results = changes.isEmpty ? [] : try await apply(changes, now: now)
        var claimed: [JobRecord] = []
        if let claim { claimed = try await self.claim(claim) }
        return TickResult(changes: results, claimed: claimed)
    }

    /// Commits in a task of its own, for stores without a writer thread to answer from. Completions
    /// keep the order of the calls only if the store serializes its commits in call order.
    package func commit(
        _ changes: [JobChange], claim: ClaimRequest?, now: Timestamp,
        completion: @escaping @Sendable (Result<TickResult, any Error>) -> Void
    ) {
        Task {
            do { completion(.success(try await commit(changes, claim: claim, now: now))) } catch {
                completion(.failure(error))
            }
        }
    }

    /// Rescues as ``rescueOrphans(currentOwner:now:isAlive:retryAt:wasStarted:)`` does, with every
    /// other owner dead and every orphan counted as started.
    package func rescueOrphans(
        currentOwner: String, now: Timestamp, retryAt: @escaping @Sendable (JobRecord) -> Timestamp
    ) async throws -> [RescuedJob] {
        try await rescueOrphans(
            currentOwner: currentOwner, now: now, isAlive: { _ in false }, retryAt: retryAt, wasStarted: { _ in true })
    }

    /// Rescues as ``rescueOrphans(currentOwner:now:isAlive:retryAt:wasStarted:)`` does, with every
    /// other owner dead.
    package func rescueOrphans(
        currentOwner: String, now: Timestamp, retryAt: @escaping @Sendable (JobRecord) -> Timestamp,
        wasStarted: @escaping @Sendable (JobRecord) -> Bool
    ) async throws -> [RescuedJob] {
        try await rescueOrphans(
            currentOwner: currentOwner, now: now, isAlive: { _ in false }, retryAt: retryAt, wasStarted: wasStarted)
    }

    /// The attempts of each job, one ``attempts(of:)`` at a time: for stores that cannot read them
    /// together.
    package func attempts(ofJobs ids: [JobID]) async throws -> [JobID: [AttemptRecord]] {
        var attempts: [JobID: [AttemptRecord]] = [:]
        for id in ids {
            let records = try await self.attempts(of: id)
            if !records.isEmpty { attempts[id] = records }
        }
        return attempts
    }

    /// Inserts one job.
    package func insert(_ job: NewJob, now: Timestamp) async throws -> InsertResult {
        try await insert([job], now: now)[0]
    }

    /// Applies one change; throws its ``TransitionRefusal`` when refused.
    @discardableResult
    package func apply(_ change: JobChange, now: Timestamp) async throws -> JobState {
        try await apply([change], now: now)[0].get()
    }
}
