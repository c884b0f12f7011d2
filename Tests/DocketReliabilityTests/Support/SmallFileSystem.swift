import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A tmpfs of a few megabytes mounted on a new temporary directory, for tests of a full disk that
/// must see what a real file system does when it runs out of room (ENOSPC on a write, an allocation
/// refused), rather than a page limit SQLite enforces itself.
struct SmallFileSystem {
    /// The mount point.
    let path: String

    /// Whether this process may mount a tmpfs (root, or CAP_SYS_ADMIN): found by mounting one.
    static let canMount: Bool = {
        guard let probe = try? SmallFileSystem(bytes: 64 * 1_024) else { return false }
        probe.unmount()
        return true
    }()

    /// Mounts a tmpfs of `bytes` on a new directory.
    init(bytes: Int) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tmpfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        path = url.path
        #if os(Linux)
        guard Glibc.mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0700") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: path)
            throw MountFailure(description: "cannot mount a tmpfs on \(path): \(reason)")
        }
        #else
        try? FileManager.default.removeItem(atPath: path)
        throw MountFailure(description: "tmpfs mounts are Linux only")
        #endif
    }

    /// A path inside the file system.
    func file(_ name: String) -> String { path + "/" + name }

    /// Unmounts (lazily: a file still open keeps its pages until closed) and removes the directory.
    func unmount() {
        #if os(Linux)
        _ = umount2(path, Int32(MNT_DETACH))
        #endif
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `count` files of `bytes` each, named `prefix` and a number, to take up room that a
    /// test frees later; returns their paths.
    func fill(prefix: String, count: Int, bytes: Int) throws -> [String] {
        let block = Data(repeating: 0x5A, count: bytes)
        return try (0..<count).map { index in
            let path = file("\(prefix)-\(index)")
            try block.write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    struct MountFailure: Error, CustomStringConvertible {
        var description: String
    }
}
