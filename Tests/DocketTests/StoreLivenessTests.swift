import DocketCore
import DocketSQLite
import Docket
import DocketTesting
import Foundation
import Testing

/// The scheduler knows its peers' liveness only from its store: over a store whose runner registry
/// is kept in memory (no files, no locks, as a store on a database server would keep its own), it
/// rescues the running jobs of the peers the store declares dead or stalled, and no others.
@Suite(.timeLimit(.minutes(1)))
struct StoreLivenessTests {
    /// A runner registry in memory: the test says which peers hold their registration and what their
    /// heartbeats read.
    final class MemoryRegistry: RunnerRegistryStore {
        struct State {
            var peers: [String: RunnerSighting] = [:]
            var registered: [String] = []
            var released: [String] = []
            var removed: [String] = []
            var beats = 0
            /// Whether another holder has every owner's registration.
            var heldElsewhere = false
        }

        /// The registry's heartbeat clock, which stands still.
        static let reading: UInt64 = 1_000 * 1_000_000_000
        let state = Locked(State())

        func registerRunner(owner: String, lease: RunnerLease) throws -> (any RunnerRegistration)? {
            try state.withLock { state in
                if state.heldElsewhere { throw RunnerRegistrationError.held(holder: "\(owner) runs elsewhere") }
                state.registered.append(owner)
            }
            return Registration(owner: owner, lease: lease, registry: self)
        }
    }

    struct Registration: RunnerRegistration {
        let owner: String
        let lease: RunnerLease
        let registry: MemoryRegistry

        func beat() -> Bool {
            registry.state.withLock { $0.beats += 1 }
            return false
        }

        func heartbeatClock() -> UInt64 { MemoryRegistry.reading }
        func peers() -> [String] { registry.state.withLock { $0.peers.keys.sorted() } }
        func sighting(of owner: String) -> RunnerSighting? { registry.state.withLock { $0.peers[owner] } }
        func isHeld(_ owner: String) -> Bool { sighting(of: owner)?.lockHeld ?? false }

        func removeDead(_ owner: String) {
            registry.state.withLock { state in
                guard state.peers[owner]?.lockHeld == false else { return }
                state.peers[owner] = nil
                state.removed.append(owner)
            }
        }

        func release() { registry.state.withLock { $0.released.append(owner) } }
        func startLogPath(of owner: String) -> String? { nil }
    }

    @Test func aSchedulerRescuesThePeersItsStoreDeclaresDeadOrStalledAndNoOthers() async throws {
        let clock = ManualClock()
        var configuration = SchedulerConfiguration.testing(clock: clock)
        configuration.pollInterval = .seconds(1)
        configuration.runnerLease = .seconds(30)
        let registry = MemoryRegistry()
        let second: UInt64 = 1_000_000_000
        let fresh = RunnerSighting(lockHeld: true, heartbeat: MemoryRegistry.reading)
        registry.state.withLock {
            $0.peers = [
                "live": fresh, "dies": fresh, "gone": RunnerSighting(lockHeld: false, heartbeat: nil),
                "hung": RunnerSighting(lockHeld: true, heartbeat: MemoryRegistry.reading - 60 * second),
            ]
        }
        // An in-memory journal keeps no registry of its own: every answer comes from the wrapper's.
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .inMemory))
        let scheduler = JobScheduler(store: CountingStore(journal: journal, registry: registry), configuration: configuration)
        let owners = ["live", "dies", "gone", "hung"]
        var jobs: [String: JobID] = [:]
        for owner in owners {
            jobs[owner] = try await scheduler.schedule(Note(text: owner)).id
            let now = clock.wallTimestamp
            let request = ClaimRequest(dueBy: now, limit: 1, owner: owner, leaseExpiresAt: now, names: nil, now: now)
            #expect(try await journal.commit([], claim: request, now: now).claimed.map(\.id) == [jobs[owner]!])
        }

        // No handler takes notes: a rescued job stays scheduled.
        let running = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        for owner in ["gone", "hung"] {
            let job = try #require(try await journal.job(jobs[owner]!))
            #expect(job.state == .scheduled && job.attempt == 1, "\(owner): \(job)")
            #expect(try await journal.attempts(of: job.id).map(\.outcome) == [.interrupted], "\(owner)")
        }
        for owner in ["live", "dies"] {
            let job = try #require(try await journal.job(jobs[owner]!))
            #expect(job.state == .running && job.leaseOwner == owner, "\(owner): \(job)")
        }
        // The dead peer's registration is removed; the hung one holds its own.
        #expect(registry.state.withLock { $0.removed } == ["gone"])
        #expect(registry.state.withLock { $0.registered.count } == 1)

        // A peer the store finds dead while this one runs: rescued at a safety poll.
        registry.state.withLock { $0.peers["dies"] = RunnerSighting(lockHeld: false, heartbeat: nil) }
        var polls = 0
        while try await journal.job(jobs["dies"]!)?.state == .running {
            polls += 1
            // A bound against a hang, not a measurement: a poll comes each advance.
            try #require(polls < 5_000, "the peer the store declared dead was never rescued")
            clock.advance(by: .seconds(1))
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(try await journal.job(jobs["dies"]!)?.state == .scheduled)
        let live = try #require(try await journal.job(jobs["live"]!))
        #expect(live.state == .running && live.leaseOwner == "live")
        #expect(registry.state.withLock { $0.removed } == ["gone", "dies"])
        #expect(registry.state.withLock { $0.beats } >= 1)

        await scheduler.shutdown()
        try await running.value
        #expect(registry.state.withLock { $0.released.count } == 1)
        await scheduler.close()
    }

    @Test func aRegistrationTheStoreSaysIsHeldIsAlreadyRunning() async throws {
        let registry = MemoryRegistry()
        registry.state.withLock { $0.heldElsewhere = true }
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .inMemory))
        let scheduler = JobScheduler(store: CountingStore(journal: journal, registry: registry))
        do {
            try await scheduler.run()
            Issue.record("run() must refuse a registration held elsewhere")
        } catch DocketError.alreadyRunning(let holder) {
            #expect(holder.hasSuffix("runs elsewhere"))
        }
        await scheduler.close()
    }
}
