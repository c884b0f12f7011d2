import Docket
import Synchronization

/// Waits until the journal holds `target` jobs in a terminal state, and says when that happened.
///
/// It counts terminal events (succeeded, discarded, cancelled): the scheduler emits them once the
/// outcome is committed, so the count is what the journal holds, with no polling during the run. The
/// event stream keeps only the newest 100,000 unread events, so when events stop arriving for a
/// second the watcher asks the journal itself; it gives up when nothing moves for two minutes.
///
/// Create it before `run()` starts: it subscribes at creation, and `alreadyTerminal` must be the
/// number of terminal jobs then.
final class CompletionWatcher: Sendable {
    private let scheduler: JobScheduler
    private let events: AsyncStream<SchedulerEvent>
    private let alreadyTerminal: Int
    private let target: Int
    private let label: String
    /// The terminal count the event consumer has reached, for the watchdog's progress and stall checks.
    private let seen: Atomic<Int>
    private let polled = Atomic<Bool>(false)

    static let stallLimit: Duration = .seconds(120)

    /// Whether the end was found by asking the journal (events were dropped): then the end instant is
    /// only good to about a second, which notes should say.
    var endedByPolling: Bool { polled.load(ordering: .relaxed) }

    init(_ scheduler: JobScheduler, target: Int, alreadyTerminal: Int = 0, label: String) {
        self.scheduler = scheduler
        self.events = scheduler.events(of: [.succeeded, .discarded, .cancelled])
        self.alreadyTerminal = alreadyTerminal
        self.target = target
        self.label = label
        self.seen = Atomic(alreadyTerminal)
    }

    /// The instant the target was reached.
    func wait() async throws -> ContinuousClock.Instant {
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: ContinuousClock.Instant?.self) { group in
            group.addTask { await self.countEvents(clock) }
            group.addTask { try await self.watchdog(clock) }
            while let result = try await group.next() {
                // The event stream may end (cancelled, or the scheduler closed); the watchdog goes on.
                guard let instant = result else { continue }
                group.cancelAll()
                return instant
            }
            throw WorkloadError("\(label): stopped watching before \(grouped(target)) jobs were terminal")
        }
    }

    private func countEvents(_ clock: ContinuousClock) async -> ContinuousClock.Instant? {
        var terminal = alreadyTerminal
        if terminal >= target { return clock.now }
        for await event in events {
            switch event.kind {
            case .succeeded, .discarded, .cancelled:
                terminal += 1
            default:
                continue
            }
            seen.store(terminal, ordering: .relaxed)
            if terminal >= target { return clock.now }
        }
        return nil
    }

    private func watchdog(_ clock: ContinuousClock) async throws -> ContinuousClock.Instant? {
        var lastSeen = seen.load(ordering: .relaxed)
        var lastJournal = -1
        var lastProgress = clock.now
        var lastReport = clock.now
        while true {
            try await Task.sleep(for: .seconds(1))
            let current = seen.load(ordering: .relaxed)
            if clock.now - lastReport >= .seconds(10) {
                progress("\(label): \(grouped(current))/\(grouped(target)) terminal")
                lastReport = clock.now
            }
            if current != lastSeen {
                lastSeen = current
                lastProgress = clock.now
                continue
            }
            // Events stalled: dropped, or the run is stuck. The journal knows which.
            let counts = try await scheduler.counts()
            let terminal = Harness.terminal(counts)
            if terminal >= target {
                polled.store(true, ordering: .relaxed)
                return clock.now
            }
            if terminal != lastJournal {
                lastJournal = terminal
                lastProgress = clock.now
            }
            if clock.now - lastProgress > Self.stallLimit {
                throw WorkloadError(
                    "\(label): no progress for \(Self.stallLimit); journal: \(Harness.describe(counts)), target \(target) terminal")
            }
        }
    }
}
