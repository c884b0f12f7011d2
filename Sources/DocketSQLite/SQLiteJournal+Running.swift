import DocketCore

extension SQLiteJournal {
    /// The jobs of `ids` that the journal still holds as running: one lookup by id each, so the cost
    /// is the attempts a scheduler runs, never the size of the journal.
    package func stillRunning(_ ids: [JobID]) async throws -> Set<JobID> {
        guard !ids.isEmpty else { return [] }
        return try await read { connection in
            var running: Set<JobID> = []
            for id in ids where try connection.firstRow(Self.isRunningSQL, [id.rawValue], row: { _ in true }) ?? false {
                running.insert(id)
            }
            return running
        }
    }

    static let isRunningSQL = "SELECT 1 FROM jobs WHERE id = ?1 AND state = \(JobState.running.code)"
}
