/// What a pass over one due schedule creates and records, as the scheduler decided it.
package struct ScheduleFiringDecision: Sendable {
    /// The plan: firings that create jobs, counts, the next cursor.
    package var plan: FiringPlan
    /// One job per firing of ``FiringPlan/firings``, in the same order, each stamped with the schedule
    /// and its firing.
    package var jobs: [NewJob]
    /// Set when the schedule cannot compute its firings here (for example its zone is unknown to
    /// this system): the store pauses it with this note instead of firing.
    package var failure: String?

    /// A decision to perform `plan` by inserting `jobs`.
    package init(plan: FiringPlan, jobs: [NewJob]) {
        self.plan = plan
        self.jobs = jobs
    }

    /// A decision to pause the schedule because it cannot fire here.
    package init(failure: String) {
        self.plan = FiringPlan()
        self.jobs = []
        self.failure = failure
    }
}

/// What ``ScheduleStore/fireDueSchedules(now:limit:decide:)`` did.
package struct ScheduleFiringReport: Sendable {
    /// The jobs created, with their ids.
    package var created: [(id: JobID, job: NewJob)] = []
    /// Schedules paused because they cannot fire here, with the reason.
    package var failed: [(name: String, reason: String)] = []
    /// Schedules whose catch-up policy let firings go without a job in this pass, with how many.
    package var missed: [(name: String, count: Int)] = []
    /// The earliest cursor of an active schedule after the pass; nil when none is due ever.
    package var nextDue: Timestamp?
    /// Whether some active schedule holds a firing until its previous job ends.
    package var hasHeld = false
    /// Whether due schedules are left for another pass (the pass met its limit or a budget).
    package var hasMore = false

    /// An empty report.
    package init() {}
}

/// What reconciling the declared schedules did, by name.
package struct ScheduleReconciliation: Sendable, Hashable {
    /// Declared for the first time.
    package var added: [String] = []
    /// Declared with a changed definition: the cursor restarted from now.
    package var changed: [String] = []
    /// Declared before but not now: stopped, kept, marked removed.
    package var removed: [String] = []

    /// An empty reconciliation.
    package init() {}
}

/// Why the store refused a change of a schedule.
package enum ScheduleRefusal: Error, Sendable, Hashable {
    /// No schedule has the name.
    case notFound(String)
    /// A schedule of that name exists already (with its origin).
    case exists(String, origin: ScheduleOrigin)
    /// The schedule was declared in code: only a redeclaration changes or removes it.
    case declared(String)
}

/// The storage of schedules: each call is one transaction, and every change of a schedule's cursor is a
/// compare-and-set on the cursor it expects, so that a firing creates its job exactly once whatever
/// crashes and whichever process fires, and whether or not old jobs were pruned.
package protocol ScheduleStore: Sendable {
    /// Makes the declared schedules those of `declared`: adds new ones (anchored now), replaces
    /// changed definitions (anchored now, cursor restarted), clears the removed mark of redeclared
    /// ones (cursor restarted, anchor kept), and marks declared ones missing from `declared` as
    /// removed. Pauses are kept. `start(definition, anchor, from)` is the first firing at or after
    /// `from` of the rule anchored at `anchor`. A name held by a created schedule is refused.
    ///
    /// - Throws: ``ScheduleRefusal/exists(_:origin:)`` for a name a created schedule holds; nothing
    ///   changes then.
    func reconcileDeclaredSchedules(
        _ declared: [ScheduleDefinition], now: Timestamp,
        start: @escaping @Sendable (ScheduleDefinition, _ anchor: Timestamp, _ from: Timestamp) -> Timestamp?
    ) async throws -> ScheduleReconciliation

    /// Adds a created schedule whose first firing is `cursor`, anchored at `now`.
    ///
    /// - Throws: ``ScheduleRefusal/exists(_:origin:)`` when the name is taken.
    func createSchedule(_ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp) async throws -> ScheduleRecord

    /// Replaces a created schedule's definition, anchored at `now`, its cursor restarted at `cursor`;
    /// pause, counts and held firing are kept.
    ///
    /// - Throws: ``ScheduleRefusal/notFound(_:)``, or ``ScheduleRefusal/declared(_:)`` for a
    ///   declared schedule.
    func updateSchedule(_ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp) async throws -> ScheduleRecord

    /// Deletes a created schedule; the jobs it created stay.
    ///
    /// - Throws: ``ScheduleRefusal/notFound(_:)``, or ``ScheduleRefusal/declared(_:)``.
    func deleteSchedule(named name: String) async throws

    /// Pauses a schedule (with an optional note), or resumes it with its cursor restarted at
    /// `cursor` when `paused` is false and it was paused. Firings while paused are not caught up on.
    ///
    /// - Throws: ``ScheduleRefusal/notFound(_:)``.
    func setSchedulePaused(
        named name: String, paused: Bool, note: String?, cursor: Timestamp?, now: Timestamp
    ) async throws -> ScheduleRecord

    /// Inserts one extra job for a schedule now, without moving its cursor; it becomes the
    /// schedule's latest job.
    ///
    /// - Throws: ``ScheduleRefusal/notFound(_:)``; or what ``JobStore/insert(_:now:)`` throws.
    func triggerSchedule(named name: String, job: NewJob, now: Timestamp) async throws -> JobID

    /// The schedule named `name`, or nil.
    func schedule(named name: String) async throws -> ScheduleRecord?

    /// Schedules in name order, after `name` when given, at most `limit`.
    func schedules(after name: String?, limit: Int) async throws -> [ScheduleRecord]

    /// Fires the active schedules that are due at `now` or hold a firing, at most `limit` of them,
    /// in one transaction: for each, `decide` gets the record and whether its previous job is
    /// still scheduled or running, and the store inserts the decision's jobs and moves the cursor,
    /// guarded by the cursor and held firing it read.
    func fireDueSchedules(
        now: Timestamp, limit: Int,
        decide: @escaping @Sendable (ScheduleRecord, _ previousJobActive: Bool) -> ScheduleFiringDecision
    ) async throws -> ScheduleFiringReport
}
