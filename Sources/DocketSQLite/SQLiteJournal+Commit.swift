import DocketCore

extension SQLiteJournal {
    /// Applies `changes`, then claims per `claim`, in one transaction.
    ///
    /// The scheduler's tick: the attempts that ended are recorded and their slots refilled with one
    /// commit, so one fsync covers both. Completions go first so that a unique key they free can be
    /// taken again, and so that the claim sees the journal as the completions left it.
    package func commit(_ changes: [JobChange], claim: ClaimRequest?, now: Timestamp) async throws -> TickResult {
        try await write { connection in
            try Self.tick(changes, claim: claim, now: now, on: connection)
        }
    }

    /// The tick without waiting: `completion` runs on the writer's thread once the transaction has
    /// committed or failed.
    package func commit(
        _ changes: [JobChange], claim: ClaimRequest?, now: Timestamp,
        completion: @escaping @Sendable (Result<TickResult, any Error>) -> Void
    ) {
        let work = QueuedCallback(
            writes: true, body: { connection in try Self.tick(changes, claim: claim, now: now, on: connection) },
            completion: completion)
        if !writer.enqueue(work) { work.fail(JournalError.closed(path: configuration.path)) }
    }

    static func tick(_ changes: [JobChange], claim: ClaimRequest?, now: Timestamp, on connection: Connection) throws -> TickResult {
        let results = try changes.map { try apply($0, now: now, on: connection) }
        let claimed = try claim.map { try Self.claim($0, on: connection) }
        return TickResult(changes: results, claimed: claimed?.jobs ?? [], hold: claimed?.hold)
    }
}
