import DocketLocking

/// Moves WAL checkpoints off the writer, and keeps the WAL to a bounded size.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the writer, and
/// stalls that commit for milliseconds. The writer runs with `wal_autocheckpoint = 0` instead; its WAL
/// hook calls ``committed(walFrames:)`` after every commit, which queues a `PRAGMA
/// wal_checkpoint(PASSIVE)` on the reader's thread each time the WAL has grown by ``threshold`` frames
/// since the last one it queued. A passive checkpoint waits for no lock: the writer goes on committing
/// while it copies pages.
///
/// The WAL file starts over from its beginning only when a write transaction begins with every frame
/// checkpointed, which a background checkpoint that runs while the writer keeps committing seldom
/// achieves: the writer commits more frames while it copies. So once a background checkpoint has
/// finished and the WAL holds ``threshold`` frames or more, the writer checkpoints the rest itself, in
/// the hook, as SQLite's automatic checkpoint would: only the frames committed since are left to copy,
/// and the next write starts the WAL over. Past ``writerLimit`` frames (a reader thread busy for a
/// while, its checkpoint still queued) the writer checkpoints whatever the background did, waiting
/// first for a background checkpoint that is copying, which would make its own fail. The WAL so
/// stays near ``threshold`` frames and below about ``writerLimit``, and the journal's pages reach the
/// main file soon after their commit: a disk that fills up holds the journal's data in the main file,
/// where it is reused, rather than in a WAL that must first be copied out. `journal_size_limit`
/// (``sizeLimitBytes``) cuts the file back when the WAL starts over after a larger burst. Closing the
/// journal checkpoints what is left, as SQLite does when its last connection closes.
final class BackgroundCheckpoints: Sendable {
    /// WAL growth, in frames (pages), that queues a background checkpoint: about 1 MB at 4 KB pages.
    static let defaultThreshold = 256
    /// The WAL size, in frames, from which the writer checkpoints itself after each commit even when
    /// no background checkpoint has finished: about 4 MB at 4 KB pages.
    static let defaultWriterLimit = 1_024

    let threshold: Int
    let writerLimit: Int
    /// Whether the writer finishes a background checkpoint's work once it is done (see the type's
    /// comment); without, only ``writerLimit`` makes it checkpoint.
    let writerFinishes: Bool

    private struct State {
        var reader: ConnectionThread?
        /// The WAL size when the last checkpoint was queued; a smaller size means the WAL started over.
        var queuedAt = 0
        var inFlight = false
        /// A background checkpoint is copying: it holds SQLite's checkpoint lock, and another
        /// checkpoint would fail with SQLITE_BUSY until it is done.
        var copying = false
        /// A background checkpoint finished since the WAL last started over.
        var copied = false
        /// The WAL size after the previous commit.
        var frames = 0
        /// Another runner of the file leads and checkpoints: only ``writerLimit`` makes this writer
        /// checkpoint (see ``SQLiteJournal/tryLead(owner:)``).
        var following = false
        var queued = 0
        var writerCheckpoints = 0
        var framesWritten = 0
    }

    private let state = Locked(State())

    init(threshold: Int = defaultThreshold, writerLimit: Int = defaultWriterLimit, writerFinishes: Bool = true) {
        self.threshold = max(1, threshold)
        self.writerLimit = max(self.threshold, writerLimit)
        self.writerFinishes = writerFinishes
    }

    /// The `journal_size_limit` the writer sets: the WAL's size at ``threshold`` frames of `pageSize`.
    func sizeLimitBytes(pageSize: Int) -> Int {
        threshold * (pageSize + 24) + 32
    }

    /// Sets the thread that runs the checkpoints; until then none are queued.
    func attach(reader: ConnectionThread) {
        state.withLock { $0.reader = reader }
    }

    /// Called by the writer's WAL hook after each commit, with the frames now in the WAL. Queues a
    /// background checkpoint when due; returns true when the writer must checkpoint itself.
    func committed(walFrames frames: Int) -> Bool {
        let (reader, writerMust): (ConnectionThread?, Bool) = state.withLock { state in
            if frames < state.frames {
                // The WAL started over with this commit.
                state.framesWritten += frames
                state.queuedAt = 0
                state.copied = false
            } else {
                state.framesWritten += frames - state.frames
            }
            state.frames = frames
            let finishes = writerFinishes && !state.following && state.copied
            let writerMust = frames >= writerLimit || (finishes && frames >= threshold)
            if writerMust {
                state.writerCheckpoints += 1
                // Once per background checkpoint: a WAL a reader keeps from starting over would
                // otherwise cost a checkpoint per commit below the limit.
                state.copied = false
            }
            guard !writerMust, !state.following, !state.inFlight, frames - state.queuedAt >= threshold,
                let reader = state.reader
            else {
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
        if frames >= writerLimit {
            // At the limit the WAL must start over: a checkpoint still copying (its fsync may take
            // a while on a busy disk) would refuse the writer's, commit after commit, and the WAL
            // would grow meanwhile. The writer waits for it instead; one merely queued behind other
            // reads does not hold the lock and is not waited for.
            state.withLock(waitingUntil: { !$0.copying }) { _ in }
        }
        return writerMust
    }

    /// Leaves the checkpoints below ``writerLimit`` to another runner of the file (true), or takes
    /// them back (false).
    func setFollowing(_ following: Bool) {
        state.withLock { $0.following = following }
    }

    /// Checkpoints queued on the reader, checkpoints the writer ran itself, and the WAL frames every
    /// commit so far wrote. For tests and workloads.
    var counts: (queued: Int, byWriter: Int, framesWritten: Int) {
        state.withLock { ($0.queued, $0.writerCheckpoints, $0.framesWritten) }
    }

    fileprivate func began() {
        state.withLock { $0.copying = true }
    }

    fileprivate func finished(copied: Bool) {
        state.withLock { state in
            state.inFlight = false
            state.copying = false
            if copied { state.copied = true }
        }
        state.wakeWaiters()
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
        owner.began()
        // Returns (busy, WAL frames, frames checkpointed); a checkpoint that cannot finish copies
        // what it can and the next one goes on from there.
        _ = try connection.firstRow("PRAGMA wal_checkpoint(PASSIVE)") { $0.int(0) }
    }

    func succeed() {
        owner.finished(copied: true)
    }

    func fail(_ error: any Error) {
        owner.finished(copied: false)
    }
}
