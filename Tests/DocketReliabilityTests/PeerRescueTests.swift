import Docket
import DocketCore
import DocketSQLite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scheduler running beside a child process on one journal takes over the child's running job
/// when the child dies (SIGKILL) or hangs (SIGSTOP past the runner lease), at its own safety poll.
/// Each test waits for the job's state and the child's lines, never for a time.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PeerRescueTests {
    /// The journal, the test's scheduler (not yet running, with a handler that records the attempts
    /// it runs) and the job the child is to claim.
    private struct Setup {
        let directory: TemporaryDirectory
        let journal: String
        let scheduler: JobScheduler
        let store: SQLiteJournal
        let ran: Locked<[Int]>
        let job: JobID

        init(label: String, lease: Duration?) async throws {
            directory = try TemporaryDirectory(label)
            journal = directory.file("peers.docket")
            var configuration = SchedulerConfiguration()
            configuration.pollInterval = .milliseconds(100)
            configuration.runnerLease = lease
            configuration.defaultRetryPolicy = .strategy(.fixed(.milliseconds(1)))
            scheduler = try JobScheduler(path: journal, configuration: configuration)
            store = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: journal)))
            let ran = Locked<[Int]>([])
            self.ran = ran
            job = try await scheduler.schedule(name: "torture.hold", options: JobOptions(maxAttempts: 3)).id
            try scheduler.register("torture.hold") { context in ran.withLock { $0.append(context.attempt) } }
        }

        /// Starts the child and waits until its handler holds the job's first attempt.
        func childHoldingTheJob(lease: Duration?) -> LiveChild {
            var arguments = ["hold", "--journal", journal, "--release", directory.file("release")]
            if let lease { arguments += ["--lease-ms", "\(Int(lease / .milliseconds(1)))"] } else { arguments += ["--lease-ms", "0"] }
            return LiveChild(arguments)
        }

        /// Runs the test's scheduler once the child holds the job, and checks that starting did not
        /// take the job from the live child.
        func runBeside(_ child: LiveChild) async throws -> (running: Task<Void, any Error>, childOwner: String) {
            let started = await child.line(startingWith: "hold:started \(job) 1")
            #expect(started != nil, "the child never started the job: \(child.transcript)")
            // The child is the only runner yet: its lock file names it.
            let files = runnerFiles().filter { $0.hasSuffix(".lock") }
            #expect(files.count == 1, "\(files)")
            let childOwner = String(files.first?.dropLast(".lock".count) ?? "")
            let scheduler = self.scheduler
            let running = Task { try await scheduler.run() }
            try await scheduler.waitUntilRunning()
            let record = try await store.job(job)
            #expect(record?.state == .running && record?.leaseOwner == childOwner, "\(String(describing: record))")
            return (running, childOwner)
        }

        func runnerFiles() -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: journal + "-runners")) ?? []
        }

        /// Waits until the test's scheduler has completed the job.
        func completed() async throws -> Job? {
            let events = scheduler.events(of: [.succeeded])
            if try await scheduler.job(job)?.state != .completed {
                for await event in events where event.jobID == job { break }
            }
            return try await scheduler.job(job)
        }

        func finish(_ running: Task<Void, any Error>) async throws {
            await scheduler.shutdown()
            try await running.value
            await scheduler.close()
            await store.close()
            directory.remove()
        }
    }

    /// A peer killed while its handler runs: the running scheduler's next safety poll finds its lock
    /// free and rescues the job, which runs again here as its second attempt.
    @Test func aKilledPeersJobIsRescuedAtTheNextPollAndRunsAgain() async throws {
        let setup = try await Setup(label: "killed-peer", lease: nil)
        let child = setup.childHoldingTheJob(lease: nil)
        defer { child.send(SIGKILL) }
        let (running, childOwner) = try await setup.runBeside(child)
        child.send(SIGKILL)
        #expect(await child.ended() == .signalled(SIGKILL))

        let job = try #require(try await setup.completed())
        #expect(job.attempt == 2)
        #expect(job.attempts.map(\.outcome) == [.interrupted, .completed], "\(job.attempts)")
        #expect(setup.ran.withLock { $0 } == [2])
        // The dead peer's files are gone.
        #expect(!setup.runnerFiles().contains { $0.hasPrefix(childOwner) }, "\(setup.runnerFiles())")
        try await setup.finish(running)
    }

    /// A peer stopped (alive, hung) while its handler runs: once its heartbeat is older than the
    /// lease, the job is rescued and runs here; when the peer goes on, its handler's end is refused
    /// by the journal and logged, the peer keeps running, and the job stays as this scheduler left it.
    @Test func aStoppedPeersJobIsRescuedOnceItsLeasePassesAndItsLateEndIsRefused() async throws {
        let lease = Duration.milliseconds(800)
        let setup = try await Setup(label: "stopped-peer", lease: lease)
        let child = setup.childHoldingTheJob(lease: lease)
        defer { child.send(SIGKILL) }
        let (running, childOwner) = try await setup.runBeside(child)
        child.send(SIGSTOP)

        let job = try #require(try await setup.completed())
        #expect(job.attempt == 2)
        #expect(job.attempts.map(\.outcome) == [.interrupted, .completed], "\(job.attempts)")
        #expect(setup.ran.withLock { $0 } == [2])
        // The stalled peer's lock file stays: it holds it.
        #expect(setup.runnerFiles().contains(childOwner + ".lock"), "\(setup.runnerFiles())")

        #expect(FileManager.default.createFile(atPath: setup.directory.file("release"), contents: nil))
        child.send(SIGCONT)
        #expect(await child.line(startingWith: "hold:finished \(setup.job) 1") != nil, "\(child.transcript)")
        let refused = await child.line(startingWith: "log: warning docket job changed while it ran")
        #expect(refused != nil, "\(child.transcript)")
        let overran = await child.line(startingWith: "log: warning docket scheduler went longer than its runner lease")
        #expect(overran != nil, "\(child.transcript)")
        #expect(child.ending == nil, "the woken peer ended: \(child.transcript)")
        let after = try #require(try await setup.scheduler.job(setup.job))
        #expect(after.state == .completed && after.attempt == 2 && after.attempts.count == 2, "\(after.attempts)")

        child.send(SIGKILL)
        #expect(await child.ended() == .signalled(SIGKILL))
        try await setup.finish(running)
    }
}
