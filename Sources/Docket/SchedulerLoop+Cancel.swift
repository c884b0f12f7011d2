import DocketCore

extension SchedulerLoop {
    /// A job this process cancelled: it leaves the timer index, and if it runs here (or waits here
    /// for its time or a slot), its attempt stops, since the journal ended it with the cancel.
    mutating func cancelledHere(_ id: JobID) {
        state.unscheduled(id)
        stopAttempts(unfinishedClaims().filter { $0.id == id }, reason: nil)
    }

    /// Asks the journal which jobs this process runs are no longer running there, without waiting
    /// for the answer: ``LoopMessage/runningChecked(_:)`` brings the ones to stop. Another process
    /// (an operator's `docket jobs cancel`) changed the journal, and what it cancelled must stop here.
    ///
    /// Only jobs handed over before the question are asked about: their claims had committed, so a
    /// job the answer does not hold as running was changed by someone else since.
    mutating func checkRunningJobs(_ group: inout DiscardingTaskGroup) {
        runningCheckWanted = false
        let unfinished = unfinishedClaims()
        guard !unfinished.isEmpty else { return }
        isCheckingRunning = true
        let store = services.store
        let inbox = self.inbox
        group.addTask(priority: .high) {
            // A failed read stops nothing: the next change looks again.
            let running = try? await store.stillRunning(unfinished.map(\.id))
            inbox.send(.runningChecked(running.map { running in unfinished.filter { !running.contains($0.id) } } ?? []))
        }
    }

    /// Stops the attempts a check found ended by another process.
    mutating func runningChecked(_ ended: [ClaimKey]) {
        isCheckingRunning = false
        stopAttempts(ended, reason: "another process ended it")
    }

    /// The claims of the jobs handed to the runners or held here until their time.
    private func unfinishedClaims() -> [ClaimKey] {
        (runners?.unfinishedClaims() ?? []) + early.map { ClaimKey($0.job) }
    }

    /// Stops the attempts of `claims` here and frees their slots; `reason`, when given, is logged
    /// and reported as a cancellation (this process did not make it, so nothing else reports it).
    private mutating func stopAttempts(_ claims: [ClaimKey], reason: String?) {
        guard !claims.isEmpty else { return }
        var stopped = runners?.stop(claims) ?? []
        let stopping = Set(claims)
        early.removeAll { entry in
            guard stopping.contains(ClaimKey(entry.job)) else { return false }
            stopped.append(entry.job)
            return true
        }
        guard !stopped.isEmpty else { return }
        state.abandoned(stopped.count)
        state.requestClaim()
        guard let reason else { return }
        for job in stopped {
            services.logger.notice(
                "docket job is no longer running in the journal; its handler was asked to stop",
                metadata: services.metadata(job).merging(["reason": "\(reason)"]) { $1 })
            services.emit(.cancelled, jobID: job.id, jobName: job.name, attempt: job.attempt)
        }
    }
}
