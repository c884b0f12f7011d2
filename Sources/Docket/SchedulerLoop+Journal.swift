import DocketCore
import Logging

extension SchedulerLoop {
    /// One tick: journals the ended attempts and claims jobs for the free slots, in one transaction.
    /// Returns false when the journal failed; the changes stay pending for the next try.
    mutating func commit(claimLimit: Int, dueBy: Timestamp, now: Timestamp) async -> Bool {
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        let names = claimLimit > 0 ? scheduler.handledNames : []
        let configuration = scheduler.configuration
        let request = names.isEmpty
            ? nil
            : ClaimRequest(
                dueBy: dueBy, limit: claimLimit, owner: scheduler.instanceID,
                leaseExpiresAt: now + configuration.defaultTimeout + configuration.shutdownGracePeriod,
                names: names, now: now)
        let result: TickResult
        do {
            result = try await scheduler.store.commit(batch.map(\.change), claim: request, now: now)
        } catch {
            pending.insert(contentsOf: batch, at: 0)
            commitFailures += 1
            scheduler.logger.error(
                "docket could not write to the journal; retrying",
                metadata: ["error": "\(error)", "docket.pending": "\(pending.count)"])
            return false
        }
        commitFailures = 0
        for (entry, outcome) in zip(batch, result.changes) {
            switch outcome {
            case .success:
                scheduler.report(entry.change, job: entry.job)
                if let runAt = entry.change.event.runAt, !draining {
                    state.scheduled(TimerEntry(id: entry.job.id, deadline: runAt, priority: entry.job.priority), now: now)
                }
            case .failure(let refusal):
                scheduler.logger.warning(
                    "docket job changed while it ran; its outcome was not recorded",
                    metadata: scheduler.metadata(entry.job).merging(["reason": "\(refusal)"]) { $1 })
            }
        }
        state.committed(outcomes: batch.count, claimed: result.claimed.map(\.id), limit: claimLimit, dueBy: dueBy)
        ready.append(contentsOf: result.claimed)
        return true
    }

    mutating func refill(after: Timestamp, through: Timestamp, limit: Int, now: Timestamp) async -> Bool {
        let store = scheduler.store
        do {
            let cursor = DueEntry(id: JobID(Int64.max), runAt: after, priority: 0, name: "")
            let entries = try await store.dueEntries(through: through, after: cursor, limit: limit)
            let handled = Set(scheduler.handledNames)
            state.refilled(entries, after: after, through: through, limit: limit) { handled.contains($0) }
            // Due jobs are found by claiming, which skips names without a handler; look for those here
            // so they are reported rather than silently left waiting.
            let due = try await store.dueEntries(through: now, after: nil, limit: 1_000)
            for entry in due where !handled.contains(entry.name) { reportWaiting(entry) }
            return true
        } catch {
            scheduler.logger.error("docket could not read the journal's timers; retrying", metadata: ["error": "\(error)"])
            return false
        }
    }

    mutating func reportWaiting(_ entry: DueEntry) {
        guard reportedWaiting.insert(entry.id).inserted else { return }
        scheduler.logger.warning(
            "docket job waits: no handler is registered for its name",
            metadata: ["job.id": "\(entry.id)", "job.name": "\(entry.name)"])
        scheduler.emit(SchedulerEvent(.waitingForHandler, jobID: entry.id, jobName: entry.name, runAt: entry.runAt))
    }
}
