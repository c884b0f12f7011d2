import Docket
import DocketCore
import Foundation
import Synchronization

/// A clock that moves only when a test says so: both the monotonic clock the scheduler sleeps on and
/// the wall clock that decides what is due.
///
/// Give it to a scheduler with ``Docket/SchedulerConfiguration/testing(clock:seed:)``; then
/// ``advance(by:)`` moves time and wakes every sleeper whose deadline has come, in deadline order.
/// ``jumpWallClock(by:)`` moves the wall clock alone, as an NTP step or a user changing the time would.
public final class ManualClock: Clock, Sendable {
    /// An instant of a manual clock: the time since the clock was made.
    public struct Instant: InstantProtocol, Hashable, Sendable {
        /// Time since the clock's start.
        public var offset: Duration

        /// The instant `offset` after the clock's start.
        public init(offset: Duration) {
            self.offset = offset
        }

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Earlier instants order first.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var wallStart: Timestamp
        var wallSkew: Duration = .zero
        var sleepers: [Sleeper] = []
        var cancelled: Set<Int> = []
        var nextID = 0
        var sleeperWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    // One lock orders every read and move of time against sleeper registration, so no wake-up is lost.
    private let state: Locked<State>

    /// A clock whose wall time starts at `wallTime` (by default 2026-01-01T00:00:00Z), to the
    /// microsecond (rounded down).
    public convenience init(wallTime: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.init(wallTimestamp: Timestamp(wallTime))
    }

    /// A clock whose wall time starts at the journal instant `wallTimestamp`.
    package init(wallTimestamp: Timestamp) {
        state = Locked(State(wallStart: wallTimestamp))
    }

    /// The current instant.
    public var now: Instant { state.withLock { $0.now } }

    /// Manual time has no granularity.
    public var minimumResolution: Duration { .zero }

    /// The wall-clock view of this clock, for ``Docket/SchedulerConfiguration/wallClock``.
    public var wallClock: ManualWallClock { ManualWallClock(clock: self) }

    /// The current wall-clock time.
    public var wallTime: Date { wallTimestamp.date }

    /// The current wall-clock time in the journal's microseconds, exact: what the scheduler reads.
    package var wallTimestamp: Timestamp {
        state.withLock { $0.wallStart + $0.now.offset + $0.wallSkew }
    }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock reaches `deadline`, or throws `CancellationError` when cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Registration { case due, cancelled, waiting([CheckedContinuation<Void, Never>]) }
                let registration = state.withLock { state -> Registration in
                    if state.cancelled.remove(id) != nil { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .waiting(Self.takeSatisfiedWaiters(&state))
                }
                switch registration {
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting(let waiters): waiters.forEach { $0.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves both clocks forward by `duration` and wakes every sleeper whose deadline has come,
    /// earliest first.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: max(duration, .zero))
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the wall clock alone by `duration` (negative moves it back); sleepers are unaffected, as
    /// with a real monotonic clock.
    public func jumpWallClock(by duration: Duration) {
        state.withLock { $0.wallSkew += duration }
    }

    /// Waits until at least `count` tasks sleep on this clock: a scheduler that sleeps is idle.
    public func waitForSleepers(atLeast count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.sleeperWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func takeSatisfiedWaiters(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        let ready = state.sleeperWaiters.filter { $0.count <= count }.map(\.continuation)
        state.sleeperWaiters.removeAll { $0.count <= count }
        return ready
    }
}

/// The wall-clock face of a ``ManualClock``.
public struct ManualWallClock: WallClock, MicrosecondWallClock {
    let clock: ManualClock

    /// The manual clock's wall time.
    public func now() -> Date { clock.wallTime }

    /// The manual clock's wall time, exact.
    package func nowTimestamp() -> Timestamp { clock.wallTimestamp }
}

extension SchedulerConfiguration {
    /// A configuration that runs on `clock` in virtual time, with seeded retry jitter and a short
    /// shutdown grace period.
    public static func testing(clock: ManualClock, seed: UInt64 = 0) -> SchedulerConfiguration {
        var configuration = SchedulerConfiguration()
        configuration.clock = clock
        configuration.wallClock = clock.wallClock
        configuration.randomSeed = seed
        configuration.shutdownGracePeriod = .seconds(5)
        configuration.durability = .normal
        return configuration
    }
}
