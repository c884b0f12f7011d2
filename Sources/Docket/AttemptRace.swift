import DocketCore
import Synchronization

/// Races a handler against its timeout and against cancellation; the first to finish decides how the
/// attempt ended.
///
/// The handler runs in a task of its own so that a handler ignoring cancellation cannot hold the
/// attempt hostage: on timeout or shutdown the attempt ends at once and the handler's task is only
/// cancelled. Such a handler may keep running in the background until it returns; its late outcome is
/// ignored.
final class AttemptRace: Sendable {
    private struct State {
        var continuation: CheckedContinuation<AttemptEnd, Never>?
        var end: AttemptEnd?
        var tasks: [Task<Void, Never>] = []
    }

    // Guards the single resolution: exactly one of handler, timer or cancellation resumes the waiter.
    private let state = Mutex(State())

    static func run(
        handler: RegisteredHandler, context: JobContext, timeout: Duration,
        sleepAfter: @escaping @Sendable (Duration) async throws -> Void
    ) async -> AttemptEnd {
        let race = AttemptRace()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.install(continuation)
                let work = Task {
                    do {
                        try await handler.run(context)
                        race.resolve(.succeeded)
                    } catch let control as JobControl {
                        switch control {
                        case .discard(let reason): race.resolve(.discardRequested(reason: reason))
                        case .snooze(let delay): race.resolve(.snoozeRequested(delay))
                        case .retry(let delay, let reason): race.resolve(.retryRequested(after: delay, reason: reason))
                        }
                    } catch let failure as PayloadDecodingFailure {
                        race.resolve(.undecodablePayload(failure))
                    } catch {
                        race.resolve(.failed(error))
                    }
                }
                let timer = Task {
                    do { try await sleepAfter(timeout) } catch { return }
                    race.resolve(.timedOut(timeout))
                }
                race.attach([work, timer])
            }
        } onCancel: {
            race.resolve(.stoppedByShutdown)
        }
    }

    private func install(_ continuation: CheckedContinuation<AttemptEnd, Never>) {
        let end = state.withLock { state -> AttemptEnd? in
            if let end = state.end { return end }
            state.continuation = continuation
            return nil
        }
        if let end { continuation.resume(returning: end) }
    }

    private func attach(_ tasks: [Task<Void, Never>]) {
        let resolved = state.withLock { state -> Bool in
            if state.end != nil { return true }
            state.tasks = tasks
            return false
        }
        if resolved { tasks.forEach { $0.cancel() } }
    }

    private func resolve(_ end: AttemptEnd) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<AttemptEnd, Never>?, [Task<Void, Never>]) in
            guard state.end == nil else { return (nil, []) }
            state.end = end
            defer {
                state.continuation = nil
                state.tasks = []
            }
            return (state.continuation, state.tasks)
        }
        tasks.forEach { $0.cancel() }
        continuation?.resume(returning: end)
    }
}
