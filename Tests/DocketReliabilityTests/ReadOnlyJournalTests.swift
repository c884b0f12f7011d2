import Docket
import Foundation
import Testing

/// A journal that cannot be written. As root, "read-only" is the immutable attribute (`chattr +i`);
/// see ``ReadOnlyFiles``.
@Suite(.enabled(if: ReadOnlyFiles.isSupported, "needs chattr +i as root, or permission bits as another user"))
struct ReadOnlyJournalTests {
    /// Makes a journal with one job at `path` and closes it.
    private func makeJournal(_ path: String) async throws {
        let scheduler = try JobScheduler(path: path)
        try await scheduler.schedule(name: "kept", .after(.seconds(3600)))
        await scheduler.close()
    }

    /// A new journal in a read-only directory: `.storage` of kind `.readOnly` naming the path; nothing is created.
    @Test func aNewJournalInAReadOnlyDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory("read-only-dir")
        defer { directory.remove() }
        try ReadOnlyFiles.protect(directory.path)
        defer { try? ReadOnlyFiles.unprotect(directory.path) }
        expectJournalRefused(directory.file("new.docket"), .readOnly, saying: "give this process write permission")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    /// A read-only journal file: `.storage` of kind `.readOnly` at open, not at the first write; the file unchanged.
    @Test func aReadOnlyJournalFileIsRefusedAtOpenAndLeftUnchanged() async throws {
        let directory = try TemporaryDirectory("read-only-file")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        try await makeJournal(path)
        let before = try #require(fileBytes(path))
        try ReadOnlyFiles.protect(path)
        defer { try? ReadOnlyFiles.unprotect(path) }
        expectJournalRefused(path, .readOnly, saying: "could be opened only for reading")
        #expect(fileBytes(path) == before)
    }

    /// A journal in a read-only directory (no room for -wal/-shm): `.storage` of kind `.cannotOpen`; the file unchanged.
    @Test func anExistingJournalInAReadOnlyDirectoryCannotOpen() async throws {
        let directory = try TemporaryDirectory("read-only-dir-existing")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        try await makeJournal(path)
        let before = try #require(fileBytes(path))
        try ReadOnlyFiles.protect(directory.path)
        defer { try? ReadOnlyFiles.unprotect(directory.path) }
        expectJournalRefused(path, .cannotOpen, saying: "may create and write files there")
        #expect(fileBytes(path) == before)
    }

    /// A -wal turning read-only mid-run: writes fail as I/O errors (`.other`), nothing half-written; all works once writable.
    @Test(.enabled(if: ReadOnlyFiles.isRoot, "a process that already has a file open keeps writing it despite its mode"))
    func aWALTurningReadOnlyFailsWritesAsIOErrorsUntilItIsWritableAgain() async throws {
        let directory = try TemporaryDirectory("read-only-wal")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        let scheduler = try JobScheduler(path: path)
        let first = try await scheduler.schedule(name: "before", .after(.seconds(3600))).id
        try ReadOnlyFiles.protect(path + "-wal")
        do {
            try await scheduler.schedule(name: "during", .after(.seconds(3600)))
            Issue.record("a write to an immutable -wal must fail")
        } catch {
            guard case .storage(let failure) = error else { throw error }
            #expect(failure.kind == .ioError)
            #expect(error.description.contains("I/O error") && error.description.contains("rolled back"), "\(error)")
        }
        try ReadOnlyFiles.unprotect(path + "-wal")
        let after = try await scheduler.schedule(name: "after", .after(.seconds(3600))).id
        #expect(try await scheduler.jobs(in: .scheduled).map(\.id) == [first, after])
        await scheduler.close()
    }
}
