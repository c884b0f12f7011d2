import DocketCore

/// One claim of a job: its id, the attempt the claim counted and when it was claimed (the record's
/// `updatedAt`). A job claimed again (after a snooze gave its attempt back) is another claim, so a
/// check of the journal about one claim never stops the next.
struct ClaimKey: Hashable, Sendable {
    var id: JobID
    var attempt: Int
    var claimedAt: Timestamp

    init(_ job: JobRecord) {
        id = job.id
        attempt = job.attempt
        claimedAt = job.updatedAt
    }
}

extension AttemptRunners {
    /// The claims of the jobs handed over and not yet ended: what a check against the journal asks
    /// about.
    func unfinishedClaims() -> [ClaimKey] {
        state.withLock { state in
            state.attempts.values.map { ClaimKey($0.job) } + state.waiting[state.head...].map(ClaimKey.init)
        }
    }

    /// Stops the attempts of the claims `jobs`, whose jobs the journal no longer
    /// holds as running: an operator cancelled them. A running attempt's task is cancelled and its
    /// slot freed at once, as a timeout frees it; a job still waiting for a slot never starts. No
    /// change is recorded, since the journal already says how the job ended, and a handler that
    /// returns later is ignored.
    ///
    /// - Returns: the jobs stopped; each leaves the run loop's count of claimed jobs.
    func stop(_ claims: [ClaimKey]) -> [JobRecord] {
        guard !claims.isEmpty else { return [] }
        let (stopped, watches) = state.withLock { state -> ([JobRecord], [TimeoutMonitor.Watch]) in
            var stopped: [JobRecord] = []
            var watches: [TimeoutMonitor.Watch] = []
            for claim in claims {
                if let running = state.attempts[claim.id], ClaimKey(running.job) == claim {
                    state.attempts.removeValue(forKey: claim.id)
                    // Cancelled under the lock, as in resolve: the runner cannot end its task meanwhile.
                    running.runner?.cancel()
                    if let watch = running.watch { watches.append(watch) }
                    state.running = max(0, state.running - 1)
                    stopped.append(running.job)
                } else if let index = state.waiting[state.head...].firstIndex(where: { ClaimKey($0) == claim }) {
                    stopped.append(state.waiting.remove(at: index))
                }
            }
            return (stopped, watches)
        }
        for watch in watches { timeouts.forget(watch) }
        startLog?.settled(stopped)
        // The freed slots take what waits.
        startRunners()
        return stopped
    }
}
