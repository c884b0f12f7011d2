import DocketCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The heartbeat: a line `beat N N` after the note in each runner's file, N a reading of the host's
/// monotonic clock in nanoseconds, written in place at each safety poll. The reading is written
/// twice, so that a peer whose read races the write (`pread` and `pwrite` of a regular file are not
/// atomic against each other) sees two readings that differ and takes none, rather than a torn one.
extension RunnerLock {
    /// The host's monotonic clock in nanoseconds: one clock for every process on one boot, which
    /// stands still while the system sleeps, so that a machine waking from sleep finds no runner's
    /// heartbeat aged by the sleep.
    @Sendable package static func hostMonotonic() -> UInt64 {
        #if canImport(Darwin)
        return clock_gettime_nsec_np(CLOCK_UPTIME_RAW)
        #else
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
        #endif
    }

    /// Writes a heartbeat now. Returns true when the previous one is older than the lease: this
    /// runner was stalled for that long, and the others may have rescued its running jobs meanwhile.
    package func beat() -> Bool {
        let now = monotonic()
        let line = Self.heartbeatLine(now)
        // A heartbeat that cannot be written leaves the previous one, and peers judge by it.
        _ = line.withCString { pwrite(descriptor, $0, strlen($0), off_t(heartbeatOffset)) }
        let previous = lastBeat.withLock { last in
            defer { last = now }
            return last
        }
        return previous != 0 && lease.overran(previous: previous, now: now)
    }

    /// The monotonic clock the heartbeats are written in.
    package func heartbeatClock() -> UInt64 { monotonic() }

    /// What `owner`'s file shows: whether its lock is held (its process lives), and its heartbeat.
    package func sighting(of owner: String) -> RunnerSighting? {
        Self.sighting(directory: directory, owner: owner)
    }

    /// What `owner`'s file shows; nil when it has no file (or names none that could be here).
    package static func sighting(directory: String, owner: String) -> RunnerSighting? {
        // Owner names come from the journal: only a plain instance id names a file here.
        guard !owner.isEmpty, !owner.contains("/"), owner != ".", owner != ".." else { return nil }
        let fd = open(lockPath(directory: directory, instanceID: owner), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) != 0 else {
            _ = flock(fd, LOCK_UN)
            return RunnerSighting(lockHeld: false, heartbeat: nil)
        }
        guard errno == EWOULDBLOCK else { return RunnerSighting(lockHeld: false, heartbeat: nil) }
        var buffer = [UInt8](repeating: 0, count: 1_024)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        return RunnerSighting(lockHeld: true, heartbeat: heartbeat(in: text))
    }

    package static func heartbeatLine(_ reading: UInt64) -> String {
        let digits = String(reading)
        let padded = String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        return "beat \(padded) \(padded)\n"
    }

    /// The reading of the file's heartbeat line, when it reads whole.
    package static func heartbeat(in text: String) -> UInt64? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("beat ") }) else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count == 3, fields[1] == fields[2], let reading = UInt64(fields[1]) else { return nil }
        return reading
    }
}
