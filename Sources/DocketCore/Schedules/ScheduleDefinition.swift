/// A schedule's rule as written, with the zone its wall times are read in.
package struct RecurrenceSpec: Sendable, Hashable {
    /// Which language the rule is written in.
    package enum Kind: Int, Sendable, Hashable {
        /// A cron expression, a macro or `@every` (see ``CronExpression``).
        case cron = 0
        /// An RFC 5545 rule, with DTSTART, RDATE and EXDATE lines if wanted (see ``RecurrenceRuleSet``).
        case rrule = 1
    }

    /// The rule's language.
    package var kind: Kind
    /// The rule as given.
    package var text: String
    /// The IANA zone (`Europe/London`), `UTC` by default.
    package var timeZone: String

    /// A rule of `kind` in `timeZone`.
    package init(kind: Kind, text: String, timeZone: String) {
        self.kind = kind
        self.text = text
        self.timeZone = timeZone
    }
}

/// The job a schedule creates at each firing: a job's description without its time.
package struct JobTemplate: Sendable, Hashable {
    /// The handler's name.
    package var name: String
    /// The encoded payload every job gets.
    package var payload: [UInt8]
    /// The jobs' queue.
    package var queue: String
    /// The jobs' claim priority.
    package var priority: Int
    /// The jobs' attempt limit; nil takes the handler's, then the configuration's, at each firing.
    package var maxAttempts: Int?
    /// The jobs' attempt timeout; nil takes the handler's.
    package var timeout: Duration?
    /// The jobs' retry strategy as ``RetryStrategy/storageText``; nil takes the handler's.
    package var retryOverride: String?

    /// A template; nil fields fall back to the handler's and the configuration's when a job is made.
    package init(
        name: String, payload: [UInt8] = [], queue: String = JobDefaults.queue, priority: Int = JobDefaults.priority,
        maxAttempts: Int? = nil, timeout: Duration? = nil, retryOverride: String? = nil
    ) {
        self.name = name
        self.payload = payload
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.retryOverride = retryOverride
    }
}

/// What a schedule is: everything its owner decides. Two definitions that are equal are the same
/// schedule; a declared schedule whose definition changed restarts its cursor.
package struct ScheduleDefinition: Sendable, Hashable {
    /// The schedule's identity in its journal.
    package var name: String
    /// When it fires.
    package var recurrence: RecurrenceSpec
    /// What it creates.
    package var job: JobTemplate
    /// What a firing does while the previous job has not ended.
    package var overlap: OverlapPolicy
    /// What happens to missed firings.
    package var catchUp: CatchUpPolicy

    /// A definition.
    package init(
        name: String, recurrence: RecurrenceSpec, job: JobTemplate, overlap: OverlapPolicy = .allow,
        catchUp: CatchUpPolicy = .latest
    ) {
        self.name = name
        self.recurrence = recurrence
        self.job = job
        self.overlap = overlap
        self.catchUp = catchUp
    }
}

/// How a schedule came to be, which decides what a redeclaration may do to it.
package enum ScheduleOrigin: Int, Sendable, Hashable {
    /// Declared in code and reconciled when `run()` starts: stopped (kept, marked removed) when no
    /// longer declared.
    case declared = 0
    /// Created through the API at run time: never touched by a redeclaration.
    case created = 1
}

/// A schedule as the journal holds it: its definition and where it stands.
package struct ScheduleRecord: Sendable, Hashable {
    /// What the schedule is.
    package var definition: ScheduleDefinition
    /// How it came to be.
    package var origin: ScheduleOrigin
    /// When its rule started counting: firing 0 of `@every`, and the start of an RRULE without
    /// DTSTART. Set when the schedule is created and whenever its definition changes.
    package var anchor: Timestamp
    /// Paused by an operator: it does not fire until resumed, across restarts and redeclarations.
    package var isPaused: Bool
    /// Why it was paused, if the operator said.
    package var pauseNote: String?
    /// When a redeclaration stopped declaring it; nil while it is declared (or was created).
    package var removedAt: Timestamp?
    /// The next firing not yet dealt with; nil when the rule has ended.
    package var cursor: Timestamp?
    /// The firing ``OverlapPolicy/wait`` holds until the previous job ends.
    package var held: Timestamp?
    /// The latest firing that created a job.
    package var lastFiring: Timestamp?
    /// The job of ``lastFiring`` (or of the latest trigger).
    package var lastJobID: JobID?
    /// Jobs created by firings and triggers.
    package var fired: Int
    /// Firings missed and not caught up on.
    package var missed: Int
    /// Firings that created nothing because the previous job had not ended.
    package var skipped: Int
    /// When the schedule was first written.
    package var createdAt: Timestamp
    /// When it last changed.
    package var updatedAt: Timestamp

    /// A record; stores and tests build these.
    package init(
        definition: ScheduleDefinition, origin: ScheduleOrigin, anchor: Timestamp, isPaused: Bool = false,
        pauseNote: String? = nil, removedAt: Timestamp? = nil, cursor: Timestamp?, held: Timestamp? = nil,
        lastFiring: Timestamp? = nil, lastJobID: JobID? = nil, fired: Int = 0, missed: Int = 0, skipped: Int = 0,
        createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.definition = definition
        self.origin = origin
        self.anchor = anchor
        self.isPaused = isPaused
        self.pauseNote = pauseNote
        self.removedAt = removedAt
        self.cursor = cursor
        self.held = held
        self.lastFiring = lastFiring
        self.lastJobID = lastJobID
        self.fired = fired
        self.missed = missed
        self.skipped = skipped
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The schedule's name.
    package var name: String { definition.name }
}

/// Which schedule created a job, for which firing.
package struct ScheduleStamp: Sendable, Hashable {
    /// The schedule's name.
    package var schedule: String
    /// The firing's instant (for a trigger, when it was triggered).
    package var firing: Timestamp

    /// The stamp of `schedule`'s firing at `firing`.
    package init(schedule: String, firing: Timestamp) {
        self.schedule = schedule
        self.firing = firing
    }
}
