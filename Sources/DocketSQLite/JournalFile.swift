#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal's file before SQLite opens it.
enum JournalFile {
    /// Creates the file at `path` with mode 0600 when it is missing, so that the journal and the -wal
    /// and -shm files SQLite derives from it are private to the owner from the first byte.
    ///
    /// - Returns: whether the file already existed with content, which must then be checked before
    ///   anything is written to it.
    static func prepare(path: String) throws -> Bool {
        let descriptor = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            // The umask may have removed bits from 0600 but never adds any; set the mode exactly anyway.
            _ = fchmod(descriptor, 0o600)
            _ = close(descriptor)
            return false
        }
        let openError = errno
        guard openError == EEXIST else { throw failure(openError, path: path, doing: "create") }
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(errno, path: path, doing: "inspect") }
        return status.st_size > 0
    }

    /// The permission bits of the file at `path`, or nil when it does not exist.
    static func permissions(path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_mode) & 0o777
    }

    private static func failure(_ code: Int32, path: String, doing action: String) -> JournalError {
        let reason = String(cString: strerror(code))
        let kind: JournalError.Kind = code == EROFS || code == EACCES || code == EPERM ? .readOnly : .cannotOpen
        return JournalError(kind: kind, message: "cannot \(action) the file: \(reason)", path: path)
    }
}
