import DocketCore

extension SchedulerLoop {
    /// Whether the `docket.jobs` gauges should be read now: metrics are on, no reading is in
    /// flight, and its time came.
    func countsReadingIsDue(elapsed: Duration) -> Bool {
        guard !isReadingCounts, let next = nextCountsReading else { return false }
        return elapsed >= next
    }

    /// Reads the journal's counts per state in a task of the loop's group, on the journal's reader,
    /// and sets the gauges from there; ``LoopMessage/countsRead`` says it is done.
    mutating func readCounts(_ group: inout DiscardingTaskGroup) {
        guard let metrics = services.metrics else { return }
        isReadingCounts = true
        nextCountsReading = clock.elapsed() + metrics.countsInterval
        let services = self.services
        let inbox = self.inbox
        group.addTask {
            do {
                metrics.record(counts: try await services.store.countsByState())
            } catch {
                services.logger.warning("docket could not read the journal's counts for its gauges", metadata: ["error": "\(error)"])
            }
            inbox.send(.countsRead)
        }
    }
}
