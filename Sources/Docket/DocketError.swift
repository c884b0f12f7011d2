import DocketCore
import DocketSQLite

/// An error from Docket's API: what was wrong and what to do about it.
///
/// Every case carries values code can switch on; ``description`` says the same in words.
public enum DocketError: Error, Sendable, CustomStringConvertible {
    /// A value given to describe a job or a handler is out of bounds: a name, queue, priority, attempt
    /// limit, unique key, timeout, date or delay. Nothing was scheduled or registered.
    ///
    /// ``InvalidInput/field`` says which value and ``InvalidInput/reason`` what to change. Fix the
    /// value; retrying the same call fails the same way.
    case invalidInput(InvalidInput)
    /// A handler is already registered under this job name; the first one stays. Register each job
    /// name once per scheduler.
    case duplicateHandler(name: String)
    /// No job has this id in the journal. Check where the id came from; ids are never reused.
    case jobNotFound(JobID)
    /// The command (run now, reschedule) needs a scheduled job, and the job is in `state`. Nothing
    /// changed: a running job can no longer be moved, a finished one never.
    case jobNotScheduled(JobID, state: JobState)
    /// ``JobScheduler/cancel(_:)`` needs a scheduled or running job, and the job is in `state`.
    /// Nothing changed: a finished job stays as it ended.
    case jobNotCancellable(JobID, state: JobState)
    /// ``JobScheduler/retry(_:at:)`` needs a discarded or cancelled job, and the job is in `state`.
    /// Nothing changed: a scheduled or running job will run anyway, a completed one succeeded.
    case jobNotRetryable(JobID, state: JobState)
    /// Retrying the job would schedule it while job `holder` holds the same unique key. Nothing
    /// changed: wait for that job to end, or cancel it first.
    case uniqueKeyHeld(JobID, holder: JobID)
    /// This scheduler instance's runner file is held by someone else, so it cannot register as a
    /// runner of the journal. Several schedulers, in one process or several, may run one journal,
    /// each under its own instance, so this means something holds the very file of this instance
    /// (a copy of its directory entry, for example). `holder` says which file.
    case alreadyRunning(holder: String)
    /// ``JobScheduler/run()`` was called on a scheduler that is already running. Run each scheduler
    /// once, in one task or service group.
    case runCalledTwice
    /// `run()` returned before it was ready: ``JobScheduler/waitUntilRunning()`` has nothing to wait
    /// for. Call `run()` (again) first.
    case notRunning
    /// A typed payload could not be encoded as JSON; `underlying` is the encoder's error. Nothing was
    /// scheduled. Make the payload's `Encodable` conformance succeed for this value.
    case encodingFailed(name: String, underlying: any Error & Sendable)
    /// The journal could not do what was asked: a full disk, a lock held by another process, a file
    /// that cannot be written or is not a journal, a closed scheduler. ``StorageFailure/kind`` says
    /// which; whatever was being written was rolled back. Many kinds are transient (see
    /// ``StorageFailure/Kind``): retry once the cause is gone.
    case storage(StorageFailure)
    /// No schedule has this name in the journal.
    case scheduleNotFound(name: String)
    /// A schedule of this name exists already: names identify schedules. Pick another name, or
    /// update the existing schedule.
    case scheduleExists(name: String)
    /// The schedule is declared in code (``JobScheduler/declareSchedules(_:)``): change or remove its
    /// declaration instead; the API changes and deletes only schedules it created. Pause, resume and
    /// trigger work on both.
    case scheduleDeclaredInCode(name: String)
    /// No queue of this name is declared in ``SchedulerConfiguration/queues``, nor known to the
    /// journal. Declare it (with its limits) before pausing it; a queue used only as a label has no
    /// pause.
    case queueNotFound(name: String)

    /// What went wrong and what to do, in words.
    public var description: String {
        switch self {
        case .invalidInput(let input):
            return "invalid \(input.field): \(input.reason)"
        case .duplicateHandler(let name):
            return "a handler for '\(name)' is already registered: register each job name once"
        case .jobNotFound(let id):
            return "no job has id \(id)"
        case .jobNotScheduled(let id, let state):
            return "job \(id) is \(state), not scheduled: only scheduled jobs can be run now or rescheduled"
        case .jobNotCancellable(let id, let state):
            return "job \(id) is \(state): only scheduled and running jobs can be cancelled"
        case .jobNotRetryable(let id, let state):
            return "job \(id) is \(state): only discarded and cancelled jobs can be retried"
        case .uniqueKeyHeld(let id, let holder):
            return "job \(id) cannot be retried while job \(holder) holds its unique key: wait for that job to end, or cancel it"
        case .alreadyRunning(let holder):
            return "this scheduler cannot register as a runner of the journal (\(holder))"
        case .runCalledTwice:
            return "run() was called on a scheduler that is already running"
        case .notRunning:
            return "the scheduler's run() returned before it was ready; call run() first"
        case .encodingFailed(let name, let underlying):
            return "the payload of '\(name)' could not be encoded: \(underlying)"
        case .storage(let failure):
            return failure.description
        case .scheduleNotFound(let name):
            return "no schedule is named '\(name)'"
        case .scheduleExists(let name):
            return "a schedule named '\(name)' exists already: pick another name, or update that schedule"
        case .scheduleDeclaredInCode(let name):
            return "the schedule '\(name)' is declared in code: change its declaration; the API changes and deletes only the schedules it created"
        case .queueNotFound(let name):
            return "no queue named '\(name)' is declared or known to the journal: declare it in SchedulerConfiguration.queues first"
        }
    }
}

extension DocketError {
    /// An ``invalidInput(_:)`` error.
    static func invalid(_ field: InvalidInput.Field, _ value: String, _ reason: String) -> DocketError {
        .invalidInput(InvalidInput(field: field, value: value, reason: reason))
    }

    /// Runs `body`, presenting journal errors as ``DocketError/storage(_:)``.
    package static func wrapping<T>(_ body: () async throws -> T) async throws(DocketError) -> T {
        do {
            return try await body()
        } catch let error as DocketError {
            throw error
        } catch let refusal as ScheduleRefusal {
            throw DocketError(refusal)
        } catch QueueRefusal.notFound(let name) {
            throw .queueNotFound(name: name)
        } catch {
            throw .storage(StorageFailure(error))
        }
    }
}

extension DocketError {
    /// The API's error for a store's refusal to change a schedule.
    init(_ refusal: ScheduleRefusal) {
        switch refusal {
        case .notFound(let name): self = .scheduleNotFound(name: name)
        case .exists(let name, _): self = .scheduleExists(name: name)
        case .declared(let name): self = .scheduleDeclaredInCode(name: name)
        }
    }
}
