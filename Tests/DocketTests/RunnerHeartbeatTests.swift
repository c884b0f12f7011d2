import DocketCore
import DocketSQLite
import Foundation
import Testing

@testable import Docket

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Heartbeats in the runners' lock files, and the rescue of a runner that holds its lock but has
/// stopped beating for longer than the lease.
@Suite(.timeLimit(.minutes(1)))
struct RunnerHeartbeatTests {
    /// A monotonic clock the test sets, in nanoseconds.
    final class TestClock: Sendable {
        let reading = Locked<UInt64>(0)
        func set(seconds: UInt64) { reading.withLock { $0 = seconds * 1_000_000_000 } }
        var read: @Sendable () -> UInt64 { { [reading] in reading.withLock { $0 } } }
    }

    @Test func aPeerThatStopsBeatingIsStalledUntilItBeatsAgainAndDeadOnceItsLockIsFree() throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let runners = directory.appendingPathComponent("j.docket-runners").path
        let mine = TestClock()
        let theirs = TestClock()
        mine.set(seconds: 1_000)
        theirs.set(seconds: 1_000)
        let me = try RunnerLock.acquire(directory: runners, instanceID: "me", lease: RunnerLease(.seconds(10)), monotonic: mine.read)
        let peer = try RunnerLock.acquire(directory: runners, instanceID: "peer", lease: RunnerLease(.seconds(10)), monotonic: theirs.read)
        #expect(me.standing(of: "peer") == .alive)
        mine.set(seconds: 1_010)
        #expect(me.isAlive("peer"))
        mine.set(seconds: 1_011)
        #expect(me.standing(of: "peer") == .stalled(heartbeat: 1_000 * 1_000_000_000))
        #expect(!me.isAlive("peer"))
        // Stalled is not dead: its lock is held, so its files stay.
        #expect(me.deadPeers().isEmpty)
        #expect(me.peers() == ["peer"])
        // A runner that comes back from a stall longer than its lease knows it.
        theirs.set(seconds: 1_011)
        #expect(peer.beat())
        #expect(me.standing(of: "peer") == .alive)
        theirs.set(seconds: 1_021)
        #expect(!peer.beat())
        theirs.set(seconds: 1_030)
        #expect(peer.beat() == false)
        // The note stays the file's first line, for `docket doctor`.
        let text = try String(contentsOfFile: runners + "/peer.lock", encoding: .utf8)
        #expect(text.hasPrefix("pid \(getpid()) on "))
        #expect(RunnerLock.heartbeat(in: text) == 1_030 * 1_000_000_000)
        #expect(me.standing(of: "peer") == .alive)
        peer.release()
        #expect(me.standing(of: "peer") == .dead)
        me.release()
    }

    @Test func aTornHeartbeatIsNoHeartbeat() {
        #expect(RunnerLock.heartbeat(in: "pid 1\n" + RunnerLock.heartbeatLine(42)) == 42)
        #expect(RunnerLock.heartbeat(in: "pid 1\nbeat 00000000000000000043 00000000000000000042\n") == nil)
        #expect(RunnerLock.heartbeat(in: "pid 1\n") == nil)
    }

    /// A runner file whose lock is held, with the given heartbeat line (none when nil): what a live
    /// peer leaves, however long ago it beat.
    static func heldPeerFile(_ path: String, heartbeat: UInt64?) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        var text = "pid \(getpid()) on test, instance peer\n"
        if let heartbeat { text += RunnerLock.heartbeatLine(heartbeat) }
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return fd
    }

    /// At start, a scheduler rescues the running jobs of a peer whose lock is held but whose
    /// heartbeat is older than the lease, keeping the attempt counted even though the peer's start
    /// log says its handler never started (the peer may yet start it), and leaves the peer's files.
    /// The jobs of peers whose heartbeat is fresh, unreadable or from a later clock are theirs.
    @Test func aStalledPeersJobsAreRescuedAtStartAndTheOthersAreNot() async throws {
        let directory = try JournalFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stalled.docket").path
        let journal = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
        var configuration = SchedulerConfiguration()
        configuration.runnerLease = .seconds(30)
        let scheduler = try JobScheduler(path: path, configuration: configuration)
        let owners = ["stalled", "fresh", "unreadable", "later"]
        var jobs: [String: JobID] = [:]
        for owner in owners { jobs[owner] = try await scheduler.schedule(Note(text: owner)).id }
        let now = Timestamp(microsecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1_000_000))
        for owner in owners {
            let request = ClaimRequest(dueBy: now, limit: 1, owner: owner, leaseExpiresAt: now, names: nil, now: now)
            #expect(try await journal.commit([], claim: request, now: now).claimed.count == 1)
        }
        let runners = path + "-runners"
        try FileManager.default.createDirectory(atPath: runners, withIntermediateDirectories: true)
        let monotonic = RunnerLock.hostMonotonic()
        let second: UInt64 = 1_000_000_000
        try #require(monotonic > 120 * second, "the host's monotonic clock reads under two minutes")
        let heartbeats: [String: UInt64?] = [
            "stalled": monotonic - 120 * second, "fresh": monotonic + 0, "unreadable": nil, "later": monotonic + 3_600 * second,
        ]
        let files = owners.map { Self.heldPeerFile(runners + "/\($0).lock", heartbeat: heartbeats[$0]!) }
        defer { for file in files { close(file) } }
        // The stalled peer's start log: it claimed its job and never started the handler.
        let starts = try StartLog(path: RunnerLock.startLogPath(directory: runners, instanceID: "stalled"))
        try starts.begin(owner: "stalled")
        starts.close()

        let running = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        let stalled = try #require(try await journal.job(jobs["stalled"]!))
        #expect(stalled.state == .scheduled && stalled.attempt == 1, "\(stalled)")
        #expect(try await journal.attempts(of: stalled.id).map(\.outcome) == [.interrupted])
        for owner in owners.dropFirst() {
            let job = try #require(try await journal.job(jobs[owner]!))
            #expect(job.state == .running && job.leaseOwner == owner, "\(owner): \(job)")
        }
        for owner in owners {
            #expect(FileManager.default.fileExists(atPath: runners + "/\(owner).lock"), "\(owner)")
        }
        await scheduler.shutdown()
        try await running.value
        await scheduler.close()
        await journal.close()
    }

    @Test func aLeaseUnderTwicePollIntervalIsTakenAsTwicePollInterval() {
        var configuration = SchedulerConfiguration()
        configuration.pollInterval = .seconds(1)
        configuration.runnerLease = .milliseconds(1_500)
        #expect(configuration.effectiveRunnerLease == .seconds(2))
        configuration.runnerLease = .seconds(300)
        #expect(configuration.effectiveRunnerLease == .seconds(300))
        configuration.pollInterval = .seconds(3_600)
        #expect(configuration.effectiveRunnerLease == .seconds(7_200))
        configuration.runnerLease = nil
        #expect(configuration.effectiveRunnerLease == nil)
    }
}
