import DocketCore
import Testing

@testable import DocketSQLite

/// `changesByOthers()` moves when another connection commits, and never for the journal's own writes
/// or its background checkpoints: the scheduler reads the journal only when it moves.
@Suite struct ChangeCounterTests {
    @Test func theCounterMovesForOtherConnectionsOnly() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/counter.docket"
            let mine = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
            let theirs = try SQLiteJournal(configuration: JournalConfiguration(location: .file(path: path)))
            let start = try #require(try await mine.changesByOthers())
            // Enough of our own commits for the WAL hook to start background checkpoints.
            for round in 0..<2_000 {
                let ids = try await mine.insert((0..<10).map { _ in newJob() }, now: at(Int64(round)))
                _ = try await mine.apply(ids.map { JobChange(id: $0.id, event: .cancel) }, now: at(Int64(round)))
            }
            #expect(try await mine.changesByOthers() == start)
            _ = try await theirs.insert(newJob(), now: at(1))
            let moved = try #require(try await mine.changesByOthers())
            #expect(moved != start)
            #expect(try await mine.changesByOthers() == moved)
            await theirs.close()
            await mine.close()
        }
    }

    @Test func aJournalInMemoryHasNoOtherConnections() async throws {
        let journal = try memoryJournal()
        #expect(try await journal.changesByOthers() == nil)
        await journal.close()
    }
}
