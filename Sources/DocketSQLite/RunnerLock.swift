import DocketCore
import DocketLocking
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The liveness of the processes that run a journal file (the journal's ``RunnerRegistration``),
/// known without clocks: each running scheduler holds an exclusive `flock` on its own file in a
/// directory beside the journal (`jobs.docket-runners/<instance>.lock`), for as long as it runs. The kernel drops the lock when
/// the process exits, even by SIGKILL, so a peer whose file can be locked is dead, at once and
/// whatever the clocks say. Any number of schedulers, in one process or several, may run one journal.
///
/// A dead peer's file is removed by whoever finds it dead, while holding its lock; a starting
/// scheduler checks, once its lock is taken, that its path still names the file it locked (the
/// open + flock + inode check), so that a removal racing its start never leaves it holding the lock
/// of a file nobody can see.
///
/// The directory also holds each scheduler's start log (`<instance>.starts`), which the rescuer of
/// a dead peer reads to give back attempts that never started.
///
/// A held lock says the process lives, not that it works: each runner also beats, writing a reading
/// of the monotonic clock into its file at each safety poll (see `RunnerLock+Heartbeat.swift`), and
/// a peer whose heartbeat is older than the lease counts as stalled: its jobs are rescued, its files
/// stay.
package final class RunnerLock: RunnerRegistration {
    let descriptor: Int32
    package let directory: String
    package let instanceID: String
    package let lease: RunnerLease
    /// Reads the monotonic clock that heartbeats are written in, in nanoseconds: the host's, except in tests.
    let monotonic: @Sendable () -> UInt64
    /// Where the heartbeat line starts in this runner's file, after the note.
    let heartbeatOffset: Int
    /// The last heartbeat this runner wrote.
    let lastBeat: Locked<UInt64>

    private init(
        descriptor: Int32, directory: String, instanceID: String, lease: RunnerLease,
        monotonic: @escaping @Sendable () -> UInt64, heartbeatOffset: Int
    ) {
        self.descriptor = descriptor
        self.directory = directory
        self.instanceID = instanceID
        self.lease = lease
        self.monotonic = monotonic
        self.heartbeatOffset = heartbeatOffset
        self.lastBeat = Locked(0)
    }

    package var owner: String { instanceID }

    /// The registry directory of the journal at `journalPath`.
    package static func directory(journalPath: String) -> String { journalPath + "-runners" }

    package static func lockPath(directory: String, instanceID: String) -> String { directory + "/" + instanceID + ".lock" }
    package static func startLogPath(directory: String, instanceID: String) -> String {
        directory + "/" + instanceID + ".starts"
    }

    /// Registers `instanceID` as a live runner of the journal whose registry is `directory`.
    ///
    /// - Throws: ``RunnerRegistrationError/held(holder:)`` when another holder has this very
    ///   instance's file (a scheduler instance runs once);
    ///   ``RunnerRegistrationError/cannotOpen(message:path:)`` when the directory or the file cannot
    ///   be created.
    package static func acquire(
        directory: String, instanceID: String, lease: RunnerLease = RunnerLease(nil),
        monotonic: @escaping @Sendable () -> UInt64 = RunnerLock.hostMonotonic
    ) throws(RunnerRegistrationError) -> RunnerLock {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw cannotOpen(directory, what: "the runners directory")
        }
        let path = lockPath(directory: directory, instanceID: instanceID)
        // A peer removing dead files holds the file's lock only for the unlink, so a few tries settle.
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw cannotOpen(path, what: "the runner lock") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let failure = errno
                close(fd)
                guard failure == EWOULDBLOCK else { throw cannotOpen(path, what: "the runner lock") }
                usleep(1_000)
                continue
            }
            guard sameFile(fd, path) else {
                close(fd)
                continue
            }
            let host = ProcessInfo.processInfo.hostName
            let text = "pid \(getpid()) on \(host), instance \(instanceID), since \(Date())\n"
            _ = ftruncate(fd, 0)
            _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
            let lock = RunnerLock(
                descriptor: fd, directory: directory, instanceID: instanceID, lease: lease, monotonic: monotonic,
                heartbeatOffset: text.utf8.count)
            _ = lock.beat()
            return lock
        }
        throw .held(holder: "instance \(instanceID) already holds \(path)")
    }

    /// Whether `owner`'s lock is held, whatever its heartbeat. An owner with no file (removed once
    /// found dead, or from a journal run before runners registered) is dead.
    package func isHeld(_ owner: String) -> Bool {
        Self.isAlive(directory: directory, owner: owner)
    }

    /// Whether `owner`'s lock is held, whatever its heartbeat.
    package static func isAlive(directory: String, owner: String) -> Bool {
        // Owner names come from the journal: only a plain instance id names a file here.
        guard !owner.isEmpty, !owner.contains("/"), owner != ".", owner != ".." else { return false }
        let fd = open(lockPath(directory: directory, instanceID: owner), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        _ = flock(fd, LOCK_UN)
        return false
    }

    /// The instance ids of the other runners whose files are in the directory.
    package func peers() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.compactMap { name -> String? in
            guard name.hasSuffix(".lock") else { return nil }
            let owner = String(name.dropLast(".lock".count))
            return owner == instanceID ? nil : owner
        }
    }

    /// Removes a dead peer's start log and lock file, holding its lock so that the file removed is
    /// the one found dead. Call once its jobs are rescued.
    package func removeDead(_ owner: String) {
        let path = Self.lockPath(directory: directory, instanceID: owner)
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, Self.sameFile(fd, path) else { return }
        unlink(Self.startLogPath(directory: directory, instanceID: owner))
        unlink(path)
    }

    /// Releases the lock and removes this instance's files: a scheduler that stops leaves nothing
    /// running, so nobody needs them.
    package func release() {
        unlink(Self.startLogPath(directory: directory, instanceID: instanceID))
        unlink(Self.lockPath(directory: directory, instanceID: instanceID))
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var held = stat()
        var named = stat()
        guard fstat(fd, &held) == 0, stat(path, &named) == 0 else { return false }
        return held.st_ino == named.st_ino && held.st_dev == named.st_dev
    }

    /// This instance's start log lives beside its lock file, and goes with it.
    package func startLogPath(of owner: String) -> String? {
        Self.startLogPath(directory: directory, instanceID: owner)
    }

    private static func cannotOpen(_ path: String, what: String) -> RunnerRegistrationError {
        let reason = String(cString: strerror(errno))
        return .cannotOpen(message: "cannot open \(what) \(path): \(reason)", path: path)
    }
}
