import DocketCore

/// One attempt a drain ran, and how the journal recorded its end.
package struct DrainedAttempt: Sendable {
    /// The job as claimed for the attempt.
    package var job: JobRecord
    /// The change the attempt's end resolved to, exactly as the run loop would have made it.
    package var change: JobChange
    /// The state the change left the job in, or why the journal refused it.
    package var recorded: Result<JobState, TransitionRefusal>
}

/// Why a drain did not run.
package enum DrainRefusal: Error, Sendable {
    /// `run()`, or another drain, is running jobs on this scheduler.
    case busy
    /// The journal failed, or another process runs it.
    case scheduler(DocketError)
}

extension JobScheduler {
    /// Runs due jobs inline, one at a time, instead of the run loop: the engine of DocketTesting's
    /// drain. Each pass claims every job due by now (every scheduled job when `includingScheduled`)
    /// in one claim, in (priority, run-at, id) order, runs each attempt to its end, and records the
    /// end as the run loop does: the same attempt, retry policy, resolver, journal change, log lines
    /// and events. With `recursively`, passes repeat until one claims nothing.
    ///
    /// Cancelling the calling task stops the drain between attempts; claimed jobs it did not run are
    /// given back. A timeout fires only when the scheduler's clock passes it, so under a manual clock
    /// a handler that hangs holds the drain until the test advances the clock.
    package func drainJobs(includingScheduled: Bool, recursively: Bool) async throws(DrainRefusal) -> [DrainedAttempt] {
        // run() refuses to start while its run control is taken, so holding it keeps the loop and other
        // drains out. Its inbox is closed: nothing reads it, and a closed inbox drops what `schedule`
        // sends it.
        guard let token = runControl.begin() else { throw .busy }
        token.close()
        defer { runControl.ended(failure: nil) }
        let lock: (any RunnerRegistration)?
        do {
            lock = try registerRunner(lease: RunnerLease(nil))
        } catch {
            throw .scheduler(error)
        }
        defer { lock?.release() }

        let timeouts = TimeoutMonitor(clock: configuration.clock)
        defer { timeouts.stop() }
        var drained: [DrainedAttempt] = []
        do throws(DocketError) {
            repeat {
                let claimed = try await claimForDrain(includingScheduled: includingScheduled)
                if claimed.isEmpty { break }
                for (index, job) in claimed.enumerated() {
                    guard !Task.isCancelled else {
                        await giveBack(claimed[index...])
                        return drained
                    }
                    do throws(DocketError) {
                        drained.append(try await drainAttempt(job, timeouts: timeouts))
                    } catch {
                        await giveBack(claimed[(index + 1)...])
                        throw error
                    }
                }
            } while recursively
        } catch {
            throw .scheduler(error)
        }
        return drained
    }

    private func claimForDrain(includingScheduled: Bool) async throws(DocketError) -> [JobRecord] {
        let names = handledNames
        guard !names.isEmpty else { return [] }
        let now = now()
        let request = ClaimRequest(
            dueBy: includingScheduled ? .distantFuture : now, limit: Int(Int32.max), owner: instanceID,
            leaseExpiresAt: now + configuration.defaultTimeout + configuration.shutdownGracePeriod, names: names,
            now: now)
        return try await DocketError.wrapping { try await store.claim(request) }
    }

    /// Runs one claimed attempt to its end and records the end in the journal.
    private func drainAttempt(_ job: JobRecord, timeouts: TimeoutMonitor) async throws(DocketError) -> DrainedAttempt {
        // Runners of one slot, with an inbox of their own: the attempt runs exactly as under run(),
        // and its end is taken from them.
        let inbox = LoopMailbox()
        let runners = AttemptRunners(
            capacity: 1, services: services, inbox: inbox, startLog: nil, timeouts: timeouts, priority: Task.currentPriority)
        runners.enqueue([job])
        var ended = runners.takeEnded()
        while ended.isEmpty {
            _ = await inbox.next()
            ended = runners.takeEnded()
        }
        let change = ended[0].change
        let recorded = try await DocketError.wrapping { try await store.apply([change], now: now())[0] }
        switch recorded {
        case .success:
            services.report(change, job: job)
        case .failure(let refusal):
            logger.warning(
                "docket job changed while it ran; its outcome was not recorded",
                metadata: metadata(job).merging(["reason": "\(refusal)"]) { $1 })
        }
        return DrainedAttempt(job: job, change: change, recorded: recorded)
    }

    /// Gives claimed jobs that were not run back at their own time, best effort: a journal that just
    /// failed may fail again, and then crash recovery gives them back at the next start.
    private func giveBack(_ jobs: ArraySlice<JobRecord>) async {
        guard !jobs.isEmpty else { return }
        let changes = jobs.map { JobChange(id: $0.id, event: .release(runAt: $0.runAt), expectedAttempt: $0.attempt) }
        _ = try? await store.apply(changes, now: now())
    }
}
