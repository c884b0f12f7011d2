import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes files and directories read-only in a way that binds root too.
///
/// Root ignores permission bits, so as root this sets the immutable attribute (`chattr +i`, which
/// needs CAP_LINUX_IMMUTABLE and a file system that supports it, such as ext4); as another user it
/// removes the write bits. ``isSupported`` says whether either works here; tests that need it are
/// disabled otherwise.
enum ReadOnlyFiles {
    static let isSupported: Bool = {
        guard let directory = try? TemporaryDirectory("read-only-probe") else { return false }
        defer { directory.remove() }
        let probe = directory.file("probe")
        guard FileManager.default.createFile(atPath: probe, contents: Data("x".utf8)),
            (try? protect(probe)) != nil
        else { return false }
        defer { try? unprotect(probe) }
        return open(probe, O_WRONLY | O_APPEND) < 0
    }()

    static var isRoot: Bool { geteuid() == 0 }

    /// Makes `path` read-only for this process.
    static func protect(_ path: String) throws {
        if isRoot {
            try chattr("+i", path)
        } else {
            let mode: Int16 = isDirectory(path) ? 0o555 : 0o444
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
    }

    /// Makes `path` writable again.
    static func unprotect(_ path: String) throws {
        if isRoot {
            try chattr("-i", path)
        } else {
            let mode: Int16 = isDirectory(path) ? 0o755 : 0o644
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    private static func chattr(_ flag: String, _ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "chattr \(flag) failed"])
        }
    }
}
