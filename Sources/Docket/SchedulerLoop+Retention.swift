import DocketCore

extension SchedulerLoop {
    /// The shortest pause after a full prune batch, before the next one, on the monotonic clock.
    static let minimumPrunePause: Duration = .milliseconds(50)
    /// The pause after a full batch is at least this many times the batch's own time, so that
    /// pruning a backlog takes at most about a twentieth of the journal's writer.
    static let prunePauseFactor: Int64 = 19

    /// Whether a prune batch is due: this scheduler leads, retention prunes something, none is in
    /// flight, and its time came.
    func prunePassIsDue(elapsed: Duration) -> Bool {
        guard leads, !draining, !isPruning, let next = nextPrune else { return false }
        return elapsed >= next
    }

    /// Prunes one batch in a task of the loop's group, without waiting: ``LoopMessage/pruned(_:took:)``
    /// brings what it deleted and how long it took.
    mutating func pruneBatch(_ group: inout DiscardingTaskGroup, now: Timestamp) {
        isPruning = true
        let services = self.services
        let inbox = self.inbox
        let elapsed = clock.elapsed
        let request = services.configuration.retention.request(now: now, vacuumPages: JobScheduler.vacuumPagesPerBatch)
        group.addTask {
            let start = elapsed()
            let batch: PruneBatch?
            do {
                batch = try await services.store.prune(request)
            } catch {
                services.logger.error("docket could not prune ended jobs; retrying at the next pass", metadata: ["error": "\(error)"])
                batch = nil
            }
            inbox.send(.pruned(batch, took: elapsed() - start))
        }
    }

    /// Takes a batch's result: a full batch is followed by another after a pause; a pass ends with
    /// a batch that was not full, and is logged once if it deleted anything.
    mutating func pruned(_ batch: PruneBatch?, took: Duration) {
        isPruning = false
        let elapsed = clock.elapsed()
        let interval = services.configuration.retention.interval
        guard let batch else {
            pruneTally = PruneReport()
            nextPrune = elapsed + interval
            return
        }
        pruneTally.add(batch)
        services.reportPruned(batch)
        if batch.isFull {
            // Never longer than the interval: a batch that took long (a stalled disk, a clock that
            // jumped) must not put the backlog off for longer than a quiet journal would wait.
            nextPrune = elapsed + min(interval, max(Self.minimumPrunePause, took * Self.prunePauseFactor))
            return
        }
        services.logPrune(pruneTally)
        pruneTally = PruneReport()
        nextPrune = elapsed + interval
    }
}
