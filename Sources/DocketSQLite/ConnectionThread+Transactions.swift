// BEGIN, COMMIT and ROLLBACK go through `run`, so that they too are prepared once and reused.
extension ConnectionThread {
    /// Runs one batch on the owner thread: reads alone, writes in one transaction when they can.
    func run(_ batch: [any QueuedOperation], on connection: Connection) {
        // Reordering reads before the writes of the same batch is safe: a caller that awaited a write
        // enqueues its read only after that write committed, so the two never share a batch.
        var writes: [any QueuedOperation] = []
        for operation in batch {
            if operation.writes {
                writes.append(operation)
            } else {
                read(operation, on: connection)
            }
        }
        guard !writes.isEmpty else { return }
        if writes.count > 1, commitTogether(writes, on: connection) { return }
        for operation in writes {
            commitAlone(operation, on: connection)
        }
    }

    private func read(_ operation: any QueuedOperation, on connection: Connection) {
        do {
            try operation.perform(on: connection)
        } catch {
            operation.fail(error)
            return
        }
        operation.succeed()
    }

    /// Commits `operations` in one transaction (group commit). Returns false when one of them, or the
    /// commit, failed: the transaction was rolled back and each operation must run alone, so that one
    /// failure never fails its neighbours.
    private func commitTogether(_ operations: [any QueuedOperation], on connection: Connection) -> Bool {
        connection.countDeltas.discard()
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            // The lock or the disk refused the transaction itself; every operation alone would wait for
            // the same lock again, one busy timeout each. They all get the same answer at once.
            operations.forEach { $0.fail(error) }
            return true
        }
        do {
            for operation in operations {
                try operation.perform(on: connection)
            }
            try connection.flushCountDeltas()
            try connection.run("COMMIT")
        } catch {
            rollBack(connection, after: error)
            return false
        }
        recordCommit(of: operations.count)
        operations.forEach { $0.succeed() }
        return true
    }

    private func commitAlone(_ operation: any QueuedOperation, on connection: Connection) {
        do {
            connection.countDeltas.discard()
            try connection.run("BEGIN IMMEDIATE")
            try operation.perform(on: connection)
            try connection.flushCountDeltas()
            try connection.run("COMMIT")
        } catch {
            rollBack(connection, after: error)
            operation.fail(error)
            return
        }
        recordCommit(of: 1)
        operation.succeed()
    }

    private func rollBack(_ connection: Connection, after error: any Error) {
        connection.countDeltas.discard()
        // SQLite rolls some failures back by itself (SQLITE_FULL, SQLITE_IOERR); a second ROLLBACK would fail.
        if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
        // A full disk: the WAL may hold frames that would let it start over once copied out, which the
        // hook's checkpoints only look at after a commit, and none commits until there is room.
        if (error as? JournalError)?.kind == .diskFull { connection.checkpointPassively() }
    }
}
