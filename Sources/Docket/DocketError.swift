import DocketCore
import DocketSQLite

/// An error from Docket's API: what was wrong and what to do about it.
public enum DocketError: Error, Sendable, CustomStringConvertible {
    /// A job's description is invalid (name, priority, attempts, unique key, time).
    case invalidJob(String)
    /// A delay given as text could not be read.
    case invalidDelay(DelayParseError)
    /// A handler is already registered under this job name.
    case duplicateHandler(name: String)
    /// No job has this id.
    case jobNotFound(JobID)
    /// The command needs a scheduled job, and the job is in another state.
    case jobNotScheduled(JobID, state: JobState)
    /// Another scheduler runs this journal; at most one may run it at a time.
    case alreadyRunning(holder: String)
    /// This scheduler's `run()` was called while it already runs.
    case runCalledTwice
    /// `run()` returned before it was ready: ``JobScheduler/waitUntilRunning()`` has nothing to wait
    /// for. Call `run()` (again) first.
    case notRunning
    /// A payload could not be encoded.
    case encodingFailed(name: String, underlying: String)
    /// The journal failed; the underlying error says how.
    case journal(JournalError)

    /// What went wrong and what to do, in words.
    public var description: String {
        switch self {
        case .invalidJob(let reason):
            return "invalid job: \(reason)"
        case .invalidDelay(let error):
            return "invalid delay: \(error)"
        case .duplicateHandler(let name):
            return "a handler for '\(name)' is already registered: register each job name once"
        case .jobNotFound(let id):
            return "no job has id \(id)"
        case .jobNotScheduled(let id, let state):
            return "job \(id) is \(state), not scheduled: only scheduled jobs can be cancelled, run now or rescheduled"
        case .alreadyRunning(let holder):
            return "another scheduler is running this journal (\(holder)); stop it first, or open the journal only to schedule and inspect"
        case .runCalledTwice:
            return "run() was called on a scheduler that is already running"
        case .notRunning:
            return "the scheduler's run() returned before it was ready; call run() first"
        case .encodingFailed(let name, let underlying):
            return "the payload of '\(name)' could not be encoded: \(underlying)"
        case .journal(let error):
            return String(describing: error)
        }
    }
}

extension DocketError {
    /// Runs `body`, presenting journal errors as ``DocketError/journal(_:)``.
    static func wrapping<T>(_ body: () async throws -> T) async throws(DocketError) -> T {
        do {
            return try await body()
        } catch let error as DocketError {
            throw error
        } catch let error as JournalError {
            throw .journal(error)
        } catch {
            throw .journal(JournalError(kind: .other, message: String(describing: error)))
        }
    }
}
