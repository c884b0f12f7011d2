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

/// The `DocketError.journal` kind of what `body` throws, or nil when it throws nothing or another error.
func journalErrorKind(_ body: () async throws -> Void) async -> JournalError.Kind? {
    do {
        try await body()
        return nil
    } catch DocketError.journal(let error) {
        return error.kind
    } catch let error as JournalError {
        return error.kind
    } catch {
        return nil
    }
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
    /// The reason of an `invalidJob` error, or nil for other errors.
    var invalidJobReason: String? {
        guard case .invalidJob(let reason) = self else { return nil }
        return reason
    }
}

/// Opens `path` through the public API expecting `DocketError.journal` of `kind`, with an error that
/// names the path and contains `words`.
func expectJournalRefused(_ path: String, _ kind: JournalError.Kind, saying words: String) {
    do {
        _ = try JobScheduler(path: path)
        Issue.record("\(path) opened")
    } catch {
        guard case .journal(let journalError) = error else {
            Issue.record("expected a journal error, got \(error)")
            return
        }
        #expect(journalError.kind == kind, "\(error)")
        #expect(error.description.contains(path) && error.description.contains(words), "\(error)")
    }
}
