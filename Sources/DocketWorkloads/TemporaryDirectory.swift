import Foundation

/// A private directory under the system's temporary directory, removed with everything in it when the
/// body returns or throws: every workload gets a fresh journal and leaves nothing behind.
enum TemporaryDirectory {
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = try make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    static func make() throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/docket-workloads-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard made != nil else {
            throw WorkloadError("cannot create a temporary directory under \(base): \(String(cString: strerror(errno)))")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// A workload that could not run to the end.
struct WorkloadError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
