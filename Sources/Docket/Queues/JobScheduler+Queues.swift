import DocketCore

extension JobScheduler {
    /// Every queue the journal knows (declared by the scheduler that ran it last, ever paused, or
    /// holding a job in any state), by name, with its limits, pause, and running and scheduled jobs.
    /// A queue used only as a label is listed while it has jobs, undeclared.
    ///
    /// - Throws: ``DocketError/storage(_:)``.
    public func queues() async throws(DocketError) -> [QueueInfo] {
        try await DocketError.wrapping { try await store.queues() }.map(QueueInfo.init)
    }

    /// Pauses a queue: none of its jobs starts until ``resumeQueue(_:)``, across restarts and
    /// redeclarations, in this process and in every other that runs the journal (within its change
    /// check). Its jobs are still accepted and kept; jobs already running go on.
    ///
    /// - Parameters:
    ///   - name: a queue of ``SchedulerConfiguration/queues``, or one the journal knows (one that
    ///     has jobs is known, declared or not).
    ///   - note: why, for whoever looks (`docket queues` shows it); at most 1,024 bytes. Pausing a
    ///     paused queue replaces its note.
    /// - Throws: ``DocketError/queueNotFound(name:)`` for a queue neither declared here nor known to
    ///   the journal; ``DocketError/invalidInput(_:)`` for a note over 1,024 bytes;
    ///   ``DocketError/storage(_:)``.
    @discardableResult
    public func pauseQueue(_ name: String, note: String? = nil) async throws(DocketError) -> QueueInfo {
        if let note { try JobValidation.validate(pauseNote: note) }
        return try await setQueuePaused(name, paused: true, note: note)
    }

    /// Resumes a paused queue: its due jobs start again, in their order, within its limits.
    /// Resuming one that is not paused changes nothing.
    ///
    /// - Throws: ``DocketError/queueNotFound(name:)`` or ``DocketError/storage(_:)``.
    @discardableResult
    public func resumeQueue(_ name: String) async throws(DocketError) -> QueueInfo {
        let info = try await setQueuePaused(name, paused: false, note: nil)
        send(.queuesChanged)
        return info
    }

    private func setQueuePaused(_ name: String, paused: Bool, note: String?) async throws(DocketError) -> QueueInfo {
        let declaration = configuration.queues.first { $0.name == name }?.limits
        let now = now()
        let record = try await DocketError.wrapping {
            try await store.setQueuePaused(named: name, paused: paused, note: note, declaration: declaration, now: now)
        }
        return QueueInfo(record)
    }

    /// Writes the configuration's queues to the journal as the declared ones; `run()` does it
    /// before it claims.
    func declareQueues() async throws(DocketError) {
        let queues = configuration.queues.map(\.limits)
        let now = now()
        try await DocketError.wrapping { try await store.declareQueues(queues, now: now) }
    }
}
