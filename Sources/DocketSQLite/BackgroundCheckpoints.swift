import DocketLocking

/// Moves WAL checkpoints off the writer.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the writer, and
/// stalls that commit for milliseconds. The writer runs with `wal_autocheckpoint = 0` instead; its WAL
/// hook calls ``committed(walFrames:)`` after every commit, which queues a `PRAGMA
/// wal_checkpoint(PASSIVE)` on the reader's thread each time the WAL has grown by ``threshold`` frames
/// since the last one it queued. A passive checkpoint waits for no lock: the writer goes on committing
/// while it copies pages.
///
/// The WAL file starts over from its beginning only when a write transaction begins with every frame
/// checkpointed, which a background checkpoint that runs while the writer keeps committing may never
/// achieve; and a busy reader thread may leave a checkpoint queued for a while. Past ``writerLimit``
/// frames the writer therefore checkpoints itself, in the hook, as SQLite's automatic checkpoint would
/// (only the frames not yet copied are left to copy), so the WAL stays below about that size. Closing
/// the journal checkpoints what is left, as SQLite does when its last connection closes.
final class BackgroundCheckpoints: Sendable {
    /// WAL growth, in frames (pages), that queues a background checkpoint: about 8 MB at 4 KB pages.
    static let defaultThreshold = 2_000
    /// The WAL size, in frames, from which the writer checkpoints itself after each commit: far enough
    /// above ``defaultThreshold`` that the writer stalls only when the reader has fallen well behind,
    /// and low enough (about 40 MB at 4 KB pages) to bound the WAL on disk.
    static let defaultWriterLimit = 10_000

    let threshold: Int
    let writerLimit: Int

    private struct State {
        var reader: ConnectionThread?
        /// The WAL size when the last checkpoint was queued; a smaller size means the WAL started over.
        var queuedAt = 0
        var inFlight = false
        var queued = 0
        var writerCheckpoints = 0
    }

    private let state = Locked(State())

    init(threshold: Int = defaultThreshold, writerLimit: Int = defaultWriterLimit) {
        self.threshold = max(1, threshold)
        self.writerLimit = max(self.threshold, writerLimit)
    }

    /// Sets the thread that runs the checkpoints; until then none are queued.
    func attach(reader: ConnectionThread) {
        state.withLock { $0.reader = reader }
    }

    /// Called by the writer's WAL hook after each commit, with the frames now in the WAL. Queues a
    /// background checkpoint when due; returns true when the writer must checkpoint itself.
    func committed(walFrames frames: Int) -> Bool {
        let (reader, writerMust): (ConnectionThread?, Bool) = state.withLock { state in
            if frames < state.queuedAt { state.queuedAt = 0 }
            let writerMust = frames >= writerLimit
            if writerMust { state.writerCheckpoints += 1 }
            guard !state.inFlight, frames - state.queuedAt >= threshold, let reader = state.reader else {
                return (nil, writerMust)
            }
            state.inFlight = true
            state.queuedAt = frames
            state.queued += 1
            return (reader, writerMust)
        }
        if let reader, !reader.enqueue(CheckpointOperation(owner: self)) {
            state.withLock { $0.inFlight = false }
        }
        return writerMust
    }

    /// Checkpoints queued on the reader, and checkpoints the writer had to run itself. For tests.
    var counts: (queued: Int, byWriter: Int) {
        state.withLock { ($0.queued, $0.writerCheckpoints) }
    }

    fileprivate func finished() {
        state.withLock { $0.inFlight = false }
    }
}

/// One background checkpoint, queued on the reader's thread without a caller waiting for it.
private final class CheckpointOperation: QueuedOperation {
    let writes = false
    let owner: BackgroundCheckpoints

    init(owner: BackgroundCheckpoints) {
        self.owner = owner
    }

    func perform(on connection: Connection) throws {
        // Returns (busy, WAL frames, frames checkpointed); a checkpoint that cannot finish copies
        // what it can and the next one goes on from there.
        _ = try connection.firstRow("PRAGMA wal_checkpoint(PASSIVE)") { $0.int(0) }
    }

    func succeed() {
        owner.finished()
    }

    func fail(_ error: any Error) {
        owner.finished()
    }
}
