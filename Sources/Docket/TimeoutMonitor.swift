import DocketCore

/// Watches the timeouts of every running attempt with one sleeping task, instead of a sleeping task
/// per attempt.
///
/// A task per attempt would cost a task creation, a timer registration and a wake-up at cancellation
/// for every job, and on some platforms a cancelled timer stays registered until its deadline, so a
/// long timeout and a fast stream of jobs would pile up timers. Here one sleeper waits for the earliest
/// deadline; it is re-armed only when an earlier one arrives (rare: most attempts share a timeout, so
/// later attempts have later deadlines), and stopped by ``stop()`` when the run loop ends.
///
/// Deadlines are instants of the scheduler's monotonic clock, kept as whole microseconds since the
/// monitor was made (rounded up, so a timeout never fires early) in a ``TimerIndex``.
final class TimeoutMonitor: Sendable {
    /// A watched deadline, for ``forget(_:)``.
    struct Watch: Sendable {
        fileprivate let id: JobID
    }

    private struct State {
        var timers = TimerIndex()
        var actions: [JobID: @Sendable () -> Void] = [:]
        var nextID: Int64 = 0
        /// The deadline the sleeper sleeps until, if one sleeps.
        var armedUntil: Timestamp?
        var sleeper: Task<Void, Never>?
        /// Tells a sleeper that was replaced or stopped from the current one.
        var generation = 0
    }

    // Guards the timers and the single sleeper.
    private let state = Locked(State())
    /// The monotonic clock, as time since the monitor was made.
    private let time: LoopClock

    init<C: Clock>(clock: C) where C.Duration == Duration {
        time = LoopClock(clock)
    }

    /// The deadline `timeout` from now. Read it when the attempt begins: a deadline anchored then
    /// does not slip when the attempt's task gets to run later.
    func deadline(after timeout: Duration) -> Timestamp {
        let micros = (time.elapsed() + max(timeout, .zero)).microsecondsRoundedUp
        return Timestamp(microsecondsSinceEpoch: micros)
    }

    /// Calls `expire` once `deadline` has passed, unless ``forget(_:)`` comes first.
    func watch(until deadline: Timestamp, _ expire: @escaping @Sendable () -> Void) -> Watch {
        state.withLock { state in
            state.nextID += 1
            let id = JobID(state.nextID)
            state.timers.insert(TimerEntry(id: id, deadline: deadline, priority: 0))
            state.actions[id] = expire
            if state.armedUntil.map({ deadline < $0 }) ?? true {
                arm(until: deadline, &state)
            }
            return Watch(id: id)
        }
    }

    /// Stops watching; harmless after the deadline fired.
    ///
    /// The sleeper stays armed even when nothing is left to watch: attempts come and go every tick,
    /// and re-arming for each would cost the task per tick this monitor exists to save. A sleeper
    /// that finds nothing due goes back to sleep for the next deadline, or ends.
    func forget(_ watch: Watch) {
        state.withLock { state in
            guard state.actions.removeValue(forKey: watch.id) != nil else { return }
            state.timers.remove(watch.id)
        }
    }

    /// Stops the sleeper once the scheduler's loop has ended, so that none outlives it.
    func stop() {
        let stopped = state.withLock { state -> Task<Void, Never>? in
            state.generation += 1
            state.armedUntil = nil
            defer { state.sleeper = nil }
            return state.sleeper
        }
        stopped?.cancel()
    }

    /// Replaces the sleeper with one that wakes at `deadline`. Call holding the lock.
    private func arm(until deadline: Timestamp, _ state: inout State) {
        state.sleeper?.cancel()
        state.generation += 1
        state.armedUntil = deadline
        let generation = state.generation
        let offset = Duration.microseconds(deadline.microsecondsSinceEpoch)
        state.sleeper = Task { [self] in
            do { try await time.sleepUntil(offset) } catch { return }
            fire(generation)
        }
    }

    /// Expires every deadline that has passed, earliest first, and sleeps until the next one.
    private func fire(_ generation: Int) {
        let expired = state.withLock { state -> [@Sendable () -> Void] in
            guard generation == state.generation else { return [] }
            state.armedUntil = nil
            state.sleeper = nil
            let now = Timestamp(microsecondsSinceEpoch: time.elapsed().microsecondsRoundedDown)
            let due = state.timers.popDue(through: now, limit: .max)
            let actions = due.compactMap { state.actions.removeValue(forKey: $0.id) }
            if let next = state.timers.min {
                arm(until: next.deadline, &state)
            }
            return actions
        }
        for expire in expired { expire() }
    }
}

extension Duration {
    /// Whole microseconds, rounded toward +∞; saturates at the bounds of `Int64`.
    fileprivate var microsecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        return Self.micros(seconds, attoseconds / 1_000_000_000_000 + (attoseconds % 1_000_000_000_000 > 0 ? 1 : 0))
    }

    /// Whole microseconds, rounded toward −∞; saturates at the bounds of `Int64`.
    fileprivate var microsecondsRoundedDown: Int64 {
        let (seconds, attoseconds) = components
        return Self.micros(seconds, attoseconds / 1_000_000_000_000 - (attoseconds % 1_000_000_000_000 < 0 ? 1 : 0))
    }

    private static func micros(_ seconds: Int64, _ micros: Int64) -> Int64 {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowed) = scaled.addingReportingOverflow(micros)
        if overflowed { return micros < 0 ? .min : .max }
        return sum
    }
}
