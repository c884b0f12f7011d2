import DocketCore

/// A tick: the ended attempts it journals and the claim for free slots it makes, in one transaction.
struct Tick: Sendable {
    /// The order the tick was sent in, from 0.
    var sequence: Int
    /// The ended attempts it records.
    var batch: [(job: JobRecord, change: JobChange)]
    /// The claim, when it claims (`claimLimit` > 0).
    var claim: ClaimRequest?
    var claimLimit: Int { claim?.limit ?? 0 }
    var dueBy: Timestamp
    /// The wall clock when the tick was sent.
    var now: Timestamp
    /// The loop's monotonic clock when the tick was sent.
    var elapsed: Duration
}

/// A tick on its way to the journal and back.
struct TickReport: Sendable {
    var tick: Tick
    /// What the journal answered.
    var result: Result<TickResult, any Error>
    /// The tick the writer's thread sent on its own after this one, if it did (see ``TickSender``).
    var continuation: Tick?
}

/// Sends ticks to the journal, and acts on each answer on the journal's writer thread.
///
/// The writer is the scheduler's bottleneck, so a tick's answer is handled where it arrives, without
/// waiting for the run loop: the claimed jobs that are due start at once (``AttemptRunners/handOver(_:)``),
/// and when attempts ended meanwhile (quick handlers run right there) the next tick, with their
/// outcomes and a claim for the slots they freed, is sent from the writer's thread too. A drain of
/// quick jobs thus keeps the writer committing back to back, as a loop of bare SQL would, while the
/// run loop follows the reports: it learns of each tick sent this way from the report of the tick
/// before it, and sends none of its own while one is in flight.
///
/// A tick sent this way claims only the slots its own outcomes freed, and only when the tick before it
/// claimed all it asked for (so more may be due); it never claims once a shutdown has begun.
struct TickSender: Sendable {
    let services: SchedulerServices
    let runners: AttemptRunners
    let inbox: LoopMailbox
    let clock: LoopClock
    // Guards whether ticks may follow each other from the writer's thread; cleared for shutdown.
    private let continuing = Locked(true)
    // Guards the tick sequence, which the loop and the writer's thread both take numbers from.
    private let sequence = Locked(TickSequence())

    init(services: SchedulerServices, runners: AttemptRunners, inbox: LoopMailbox, clock: LoopClock) {
        self.services = services
        self.runners = runners
        self.inbox = inbox
        self.clock = clock
    }

    /// Sends `tick` without waiting; the loop hears of it with ``LoopMessage/committed(_:)``.
    func send(_ tick: Tick) {
        services.store.commit(tick.batch.map(\.change), claim: tick.claim, now: tick.now) { result in
            answered(tick, result)
        }
    }

    /// The sequence for a tick the loop sends after the last it knows of (`known`); nil when the
    /// writer's thread sent a tick since, which the loop will learn of from a report.
    func sequenceForLoop(after known: Int) -> Int? {
        sequence.withLock { $0.forLoop(after: known) }
    }

    /// Stops ticks from following each other on the writer's thread: from now on the loop sends each.
    func stopContinuing() {
        continuing.withLock { $0 = false }
    }

    /// Runs where the journal answers (its writer's thread).
    private func answered(_ tick: Tick, _ result: Result<TickResult, any Error>) {
        var continuation: Tick?
        if case .success(let answer) = result {
            // The claimed jobs that are due start from here, and only then is the loop told, so that
            // when it takes the report the runners have them (running, or waiting if closed).
            let claimed = answer.claimed
            // Usually every claimed job is due: then the array is handed over as it is, not copied.
            let due = claimed.allSatisfy { $0.runAt <= tick.now } ? claimed : claimed.filter { $0.runAt <= tick.now }
            if !due.isEmpty {
                runners.handOver(due)
                // A queue at its limit may have room again once the attempts that ended are recorded.
                let mayFindMore = answer.claimed.count >= tick.claimLimit || answer.hold?.atConcurrencyLimit == true
                continuation = next(after: tick, claimedAll: mayFindMore)
            }
        }
        if let continuation { send(continuation) }
        inbox.send(.committed(TickReport(tick: tick, result: result, continuation: continuation)))
    }

    /// The tick that journals the attempts that ended since `tick` was answered, if any did and the
    /// scheduler is not shutting down.
    private func next(after tick: Tick, claimedAll: Bool) -> Tick? {
        guard continuing.withLock({ $0 }) else { return nil }
        // The number is taken together with the ended attempts, so that neither is taken without
        // the other: a number taken and not sent would stop every later report from applying, and
        // attempts taken and not sent would never be journaled.
        let taken = sequence.withLock { sequence -> (Int, [(job: JobRecord, change: JobChange)])? in
            guard sequence.last == tick.sequence else { return nil }
            let ended = runners.takeEnded()
            guard !ended.isEmpty, let number = sequence.forContinuation(of: tick.sequence) else { return nil }
            return (number, ended)
        }
        guard let (number, ended) = taken else { return nil }
        let now = services.now()
        let elapsed = clock.elapsed()
        let configuration = services.configuration
        var claim: ClaimRequest?
        if claimedAll, var request = tick.claim {
            request.limit = min(ended.count, configuration.claimBatchSize)
            request.dueBy = now + configuration.claimAhead
            request.now = now
            request.leaseExpiresAt = now + configuration.defaultTimeout + configuration.shutdownGracePeriod
            claim = request
        }
        return Tick(
            sequence: number, batch: ended, claim: claim, dueBy: now + configuration.claimAhead, now: now,
            elapsed: elapsed)
    }
}
