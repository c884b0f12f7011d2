import Docket
import DocketTesting
import Foundation
import Synchronization
import Testing

/// A new, empty directory under the temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "reliability") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("docket-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The bytes of the file at `path`, or nil when there is none.
func fileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

func fileExists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
}

/// A job whose payload is a piece of text.
struct Note: JobPayload {
    static let jobName = "note"
    var text: String
}

/// The `DocketError` that `body` throws, or nil when it throws nothing or another error.
func docketError(_ body: () async throws -> Void) async -> DocketError? {
    do {
        try await body()
        return nil
    } catch let error as DocketError {
        return error
    } catch {
        return nil
    }
}

extension DocketError {
    /// The refused input of an `invalidInput` error, or nil for other errors.
    var invalidInput: InvalidInput? {
        guard case .invalidInput(let input) = self else { return nil }
        return input
    }
}

/// Opens `path` through the public API expecting `DocketError.storage` of `kind`, with an error that
/// names the path and contains `words`.
func expectJournalRefused(_ path: String, _ kind: DocketError.StorageFailure.Kind, saying words: String) {
    do {
        _ = try JobScheduler(path: path)
        Issue.record("\(path) opened")
    } catch {
        guard case .storage(let failure) = error else {
            Issue.record("expected a storage failure, got \(error)")
            return
        }
        #expect(failure.kind == kind, "\(error)")
        #expect(error.description.contains(path) && error.description.contains(words), "\(error)")
    }
}
