import DocketLocking
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The leadership of a file journal: an exclusive `flock` on `<journal>-runners/leadership`, beside
/// the runners' own lock files. The kernel releases it when the holder's process exits, SIGKILL
/// included, so a dead leader is replaced by the next scheduler that tries, whatever the clocks say.
///
/// The file is never removed (a removal racing a try could leave two holders, each of a file of its
/// own); the holder writes its instance into it, for `docket doctor`. A lock is held by one owner of
/// this journal at a time: another owner in the same process opens the file again, and `flock` locks
/// of two open files conflict even within one process. In memory (no path) the lock is this
/// journal's alone.
final class LeaderLock: Sendable {
    /// The leadership file's name in the runners directory.
    static let fileName = "leadership"

    /// The file, nil in memory.
    let path: String?

    private struct Held {
        var owner: String
        /// The locked file; -1 in memory.
        var descriptor: Int32
    }

    /// Taken only for the few system calls of a try or a resignation.
    private let held = Locked<Held?>(nil)

    init(journalPath: String?) {
        path = journalPath.map { Self.path(journalPath: $0) }
    }

    /// The leadership file of the journal at `journalPath`.
    static func path(journalPath: String) -> String {
        journalPath + "-runners/" + fileName
    }

    /// The owner that leads through this journal, if any.
    var holder: String? { held.withLock { $0?.owner } }

    /// Whether `owner` leads now; see ``LeadershipStore/tryLead(owner:)``. The owner that leads
    /// already costs two `stat`s, which notice a file removed or replaced under it (another process
    /// could lock the new one): it then gives the lock up and tries again.
    /// - Throws: ``JournalError`` (``JournalError/Kind/cannotOpen``) when the file cannot be made,
    ///   opened or locked.
    func tryLead(owner: String) throws -> Bool {
        try held.withLock { held -> Bool in
            if let current = held {
                guard current.owner == owner else { return false }
                guard let path, current.descriptor >= 0 else { return true }
                if Self.sameFile(current.descriptor, path) { return true }
                close(current.descriptor)
                held = nil
            }
            guard let path else {
                held = Held(owner: owner, descriptor: -1)
                return true
            }
            guard let descriptor = try Self.lock(path) else { return false }
            let text = "instance \(owner), pid \(getpid()), since \(Date())\n"
            _ = ftruncate(descriptor, 0)
            _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
            held = Held(owner: owner, descriptor: descriptor)
            return true
        }
    }

    /// Releases the lock if `owner` holds it.
    func resign(owner: String) {
        held.withLock { held in
            guard let current = held, current.owner == owner else { return }
            Self.release(&held)
        }
    }

    /// Releases the lock whoever holds it: the journal closes.
    func releaseAll() {
        held.withLock { Self.release(&$0) }
    }

    deinit {
        releaseAll()
    }

    private static func release(_ held: inout Held?) {
        if let current = held, current.descriptor >= 0 {
            _ = flock(current.descriptor, LOCK_UN)
            close(current.descriptor)
        }
        held = nil
    }

    /// The locked descriptor of the file at `path`, or nil when another holder has it.
    private static func lock(_ path: String) throws(JournalError) -> Int32? {
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor < 0, errno == ENOENT {
            // The runners directory is made by the first runner; a store used on its own makes it.
            let directory = String(path.dropLast(fileName.count + 1))
            if mkdir(directory, 0o700) != 0, errno != EEXIST { throw failure(path) }
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        }
        guard descriptor >= 0 else { throw failure(path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            errno = code
            throw failure(path)
        }
        guard sameFile(descriptor, path) else {
            // Removed or replaced since the open: the next try locks the file the path names.
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Who holds the leadership of the journal at `journalPath`, as its file says, and whether it is
    /// held now: for `docket doctor`. Nil when there is no file. The look takes a shared lock for an
    /// instant, which a scheduler trying at that very moment sees as held, and takes at its next try.
    static func inspect(journalPath: String) -> (holder: String, held: Bool)? {
        let path = path(journalPath: journalPath)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let held: Bool
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(descriptor, LOCK_UN)
            held = false
        } else {
            held = errno == EWOULDBLOCK
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(descriptor, &buffer, buffer.count)
        let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        return (text.trimmingCharacters(in: .whitespacesAndNewlines), held)
    }

    private static func sameFile(_ descriptor: Int32, _ path: String) -> Bool {
        var held = stat()
        var named = stat()
        guard fstat(descriptor, &held) == 0, stat(path, &named) == 0 else { return false }
        return held.st_ino == named.st_ino && held.st_dev == named.st_dev
    }

    private static func failure(_ path: String) -> JournalError {
        let reason = String(cString: strerror(errno))
        return JournalError(kind: .cannotOpen, message: "cannot lock the leadership file: \(reason)", path: path)
    }
}
