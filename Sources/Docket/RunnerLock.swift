import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock that lets one process at a time run a journal.
///
/// `flock` on a file beside the journal: the kernel drops it when the holder exits, even by SIGKILL,
/// so a crashed runner never blocks the next start. The file names the holder, for the error a second
/// runner gets. Locks are per open file, so a second runner in the same process is refused too.
final class RunnerLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock at `path`, or throws ``DocketError/alreadyRunning(holder:)`` naming the holder.
    static func acquire(path: String, instanceID: String) throws(DocketError) -> RunnerLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .storage(.init(kind: .cannotOpen, message: "cannot open the runner lock \(path): \(reason)", path: path))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw .alreadyRunning(holder: holder.flatMap { $0.isEmpty ? nil : $0 } ?? "a process holds \(path)")
        }
        let host = ProcessInfo.processInfo.hostName
        let text = "pid \(getpid()) on \(host), instance \(instanceID), since \(Date())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return RunnerLock(descriptor: fd)
    }

    /// Releases the lock and clears the holder's name.
    func release() {
        _ = ftruncate(descriptor, 0)
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
