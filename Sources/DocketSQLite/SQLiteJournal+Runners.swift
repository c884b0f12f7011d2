import DocketCore

extension SQLiteJournal {
    /// Registers `owner` as a runner of this journal file: an exclusive `flock` on its own file in
    /// `<journal>-runners`, which the kernel releases when the process dies, with a heartbeat written
    /// into it (see ``RunnerRegistryStore`` and `RunnerLock`). Each scheduler's start log lives
    /// beside its lock file. Nil in memory: a private journal has one runner at most.
    ///
    /// - Throws: ``RunnerRegistrationError``.
    package func registerRunner(owner: String, lease: RunnerLease) throws -> (any RunnerRegistration)? {
        guard let path = configuration.path else { return nil }
        return try RunnerLock.acquire(directory: RunnerLock.directory(journalPath: path), instanceID: owner, lease: lease)
    }

    /// The runners directory of the journal at `path`, where `docket doctor` reads who runs it.
    package static func runnersDirectory(journalPath path: String) -> String {
        RunnerLock.directory(journalPath: path)
    }
}
