// Test hooks that put the journal into fault conditions a test cannot otherwise cause as root.
extension SQLiteJournal {
    /// Sets `PRAGMA max_page_count` on the writer's connection and returns the limit now in force.
    ///
    /// SQLite never lowers the limit below the journal's current size, so `1` means "not one page
    /// more": every write that needs the file to grow then fails with `SQLITE_FULL`, exactly as on a
    /// full disk, while writes that fit in existing pages still succeed. Give the space back with the
    /// value ``maxPageCountForTesting()`` read before.
    @discardableResult
    func setMaxPageCountForTesting(_ pages: Int) async throws -> Int {
        try await writer.submit(writes: false) { connection in
            try connection.pragmaInteger("max_page_count = \(max(1, pages))")
        }
    }

    /// The writer connection's current `PRAGMA max_page_count`.
    func maxPageCountForTesting() async throws -> Int {
        try await writer.submit(writes: false) { try $0.pragmaInteger("max_page_count") }
    }
}
