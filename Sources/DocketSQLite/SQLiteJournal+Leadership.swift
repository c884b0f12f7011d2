import DocketCore

extension SQLiteJournal {
    /// Whether `owner` leads the schedulers of this journal file, with an `flock` on
    /// `<journal>-runners/leadership` that the kernel releases when the holder's process dies (see
    /// ``LeadershipStore``).
    ///
    /// A journal whose scheduler was refused the leadership leaves the WAL's checkpoints to the
    /// leader: it queues no background checkpoint and does not finish one, so that the runners of one
    /// file do not copy the same pages each. Its writer still checkpoints itself once the WAL holds
    /// ``BackgroundCheckpoints/writerLimit`` frames, as SQLite's automatic checkpoint would at a
    /// larger mark, which bounds the WAL when the leader commits nothing (the leader's hook sees only
    /// the WAL's size after its own commits) or when there is no leader. A journal no scheduler runs,
    /// and the leader's, checkpoint as a lone journal does.
    package func tryLead(owner: String) async throws -> Bool {
        let leads = try leadership.tryLead(owner: owner)
        checkpoints?.setFollowing(leadership.holder == nil)
        return leads
    }

    package func resignLeadership(owner: String) async {
        leadership.resign(owner: owner)
        checkpoints?.setFollowing(false)
    }

    /// What the leadership file of the journal at `path` says (the instance that took it last, its
    /// process and since when) and whether that instance still holds it: for `docket doctor`. Nil
    /// when no scheduler ever led this file.
    package static func leadership(journalPath path: String) -> (holder: String, held: Bool)? {
        LeaderLock.inspect(journalPath: path)
    }
}
