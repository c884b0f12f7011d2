import DocketCore
import Foundation

/// A schedule as its journal holds it: its definition and where it stands.
public struct ScheduleInfo: Sendable, Hashable {
    /// How a schedule came to be.
    public enum Origin: Sendable, Hashable {
        /// Declared in code (``JobScheduler/declareSchedules(_:)``), reconciled by each `run()`.
        case declared
        /// Created through the API (``JobScheduler/createSchedule(_:)``); only the API changes it.
        case created
    }

    /// The schedule's name.
    public var name: String
    /// When it fires.
    public var recurrence: Recurrence
    /// The handler of the jobs it creates.
    public var jobName: String
    /// The payload of those jobs.
    public var payload: [UInt8]
    /// The jobs' queue.
    public var queue: String
    /// The jobs' priority.
    public var priority: Int
    /// The jobs' attempt limit; nil takes the handler's.
    public var maxAttempts: Int?
    /// What a firing does while the previous job has not ended.
    public var overlap: OverlapPolicy
    /// What happens to missed firings.
    public var catchUp: CatchUpPolicy
    /// How it came to be.
    public var origin: Origin
    /// Paused by an operator: it does not fire until resumed.
    public var isPaused: Bool
    /// Why it was paused, if said.
    public var pauseNote: String?
    /// When a run stopped declaring it; it no longer fires and is kept for inspection.
    public var removedAt: Date?
    /// Its next firing; nil when its rule has ended.
    public var nextFiring: Date?
    /// A firing held by `OverlapPolicy.wait` until the previous job ends.
    public var heldFiring: Date?
    /// The latest firing that created a job.
    public var lastFiring: Date?
    /// The latest job it created (by a firing or a trigger).
    public var lastJobID: JobID?
    /// Jobs created by firings and triggers.
    public var fired: Int
    /// Firings missed while no scheduler ran (or it ran late) and not caught up on.
    public var missed: Int
    /// Firings that created nothing because the previous job had not ended.
    public var skipped: Int
    /// When the schedule was first written.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    init(_ record: ScheduleRecord) {
        let definition = record.definition
        name = definition.name
        recurrence = Recurrence(definition.recurrence)
        jobName = definition.job.name
        payload = definition.job.payload
        queue = definition.job.queue
        priority = definition.job.priority
        maxAttempts = definition.job.maxAttempts
        overlap = definition.overlap
        catchUp = definition.catchUp
        origin = record.origin == .declared ? .declared : .created
        isPaused = record.isPaused
        pauseNote = record.pauseNote
        removedAt = record.removedAt?.date
        nextFiring = record.cursor?.date
        heldFiring = record.held?.date
        lastFiring = record.lastFiring?.date
        lastJobID = record.lastJobID
        fired = record.fired
        missed = record.missed
        skipped = record.skipped
        createdAt = record.createdAt.date
        updatedAt = record.updatedAt.date
    }
}

/// Which schedule and firing created a job: ``JobContext/schedule``.
public struct ScheduleFiring: Sendable, Hashable {
    /// The schedule's name.
    public var scheduleName: String
    /// The firing's instant, which identifies it; for a job created by
    /// ``JobScheduler/triggerSchedule(named:)``, when it was triggered.
    public var firedAt: Date

    /// A firing of `scheduleName` at `firedAt`.
    public init(scheduleName: String, firedAt: Date) {
        self.scheduleName = scheduleName
        self.firedAt = firedAt
    }
}
