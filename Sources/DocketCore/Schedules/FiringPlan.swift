/// What one pass over a due schedule decides: which firings create jobs, what is counted, and where
/// the cursor goes. A value; the store performs it in one transaction guarded by the old cursor.
package struct FiringPlan: Sendable, Hashable {
    /// The firing instants that create a job, ascending.
    package var firings: [Timestamp] = []
    /// Firings counted as missed (caught up on by nothing).
    package var missed = 0
    /// Firings counted as skipped by the overlap policy.
    package var skipped = 0
    /// The next firing not yet dealt with; nil when the rule has ended.
    package var cursor: Timestamp?
    /// The firing held by ``OverlapPolicy/wait`` until the previous job ends.
    package var held: Timestamp?
    /// True when the pass stopped at its budget with due firings left: run another pass at once.
    package var hasMore = false

    /// A plan that creates nothing and leaves the schedule at `cursor` (and `held`).
    package init(cursor: Timestamp? = nil, held: Timestamp? = nil) {
        self.cursor = cursor
        self.held = held
    }
}

/// The state of a schedule a pass reads: its cursor, its held firing, and whether its previous job has
/// ended.
package struct FiringState: Sendable, Hashable {
    /// The next firing not yet dealt with; nil when the rule has ended.
    package var cursor: Timestamp?
    /// The firing ``OverlapPolicy/wait`` holds, if any.
    package var held: Timestamp?
    /// Whether the job of the schedule's previous firing is scheduled or running.
    package var previousJobActive: Bool

    /// A schedule's state as the journal holds it.
    package init(cursor: Timestamp?, held: Timestamp?, previousJobActive: Bool) {
        self.cursor = cursor
        self.held = held
        self.previousJobActive = previousJobActive
    }
}

/// Decides a schedule's firings: catch-up first (which due firings still create a job), then overlap
/// (whether the previous job lets them). Pure: the rule comes in as a function from an instant to the
/// first firing strictly after it.
package enum FiringPlanner {
    /// The most firings one pass enumerates for one schedule; a longer stretch of missed firings is
    /// counted over several passes, so that no pass holds the journal's writer for long.
    package static let budget = 10_000

    /// The plan for a schedule in `state` at `now`.
    ///
    /// Due firings are those at or before `now`, from the cursor on. The latest of them is on time when
    /// it is at most ``CatchUpPolicy/onTimeAllowance`` old, and then always creates a job; the others
    /// are missed, and `catchUp` keeps the most recent ``CatchUpPolicy/keep`` of them that lie within
    /// its window. When more than `budget` firings are due and the ones enumerated all lie before the
    /// last ``CatchUpPolicy/keep`` + 1 due firings, the pass only counts them as missed and sets
    /// ``FiringPlan/hasMore``: the next pass goes on from there.
    ///
    /// - Complexity: O(min(*d*, `budget`)) calls of `next` for the *d* due firings, plus about twice
    ///   the kept ones to find where they begin.
    package static func plan(
        _ state: FiringState, now: Timestamp, catchUp: CatchUpPolicy, overlap: OverlapPolicy,
        budget: Int = budget, next: (Timestamp) -> Timestamp?
    ) -> FiringPlan {
        var plan = FiringPlan(cursor: state.cursor, held: state.held)
        var active = state.previousJobActive
        // A held firing goes first: its job waited for the previous one, which has now ended.
        if let held = state.held, !active {
            plan.firings.append(held)
            plan.held = nil
            active = true
        }
        guard let cursor = state.cursor, cursor <= now else { return plan }
        let keep = catchUp.keep
        var ring = LatestFirings(capacity: keep + 1)
        var due = 0
        var current: Timestamp? = cursor
        while let firing = current, firing <= now, due < budget {
            ring.append(firing)
            due += 1
            current = next(firing)
        }
        if let firing = current, firing <= now, firing < keptFiringsStart(after: firing, now: now, count: keep + 1, next: next) {
            // Over budget, and every firing enumerated lies before those a catch-up may keep: count
            // them as missed and go on from there in the next pass.
            plan.missed = due
            plan.cursor = firing
            plan.hasMore = true
            return plan
        }
        while let firing = current, firing <= now {
            // Over budget, close to now: the rest of the due firings, kept in the ring.
            ring.append(firing)
            due += 1
            current = next(firing)
        }
        plan.cursor = current
        let latest = ring.elements
        let onTime = latest.last.map { $0 >= now - CatchUpPolicy.onTimeAllowance } ?? false
        let candidates = onTime ? Array(latest.dropLast()) : latest
        let windowStart = catchUp.window.map { now - $0 }
        let eligible = candidates.filter { firing in windowStart.map { firing >= $0 } ?? true }
        var chosen = Array(eligible.suffix(keep))
        if onTime, let last = latest.last { chosen.append(last) }
        plan.missed = due - chosen.count
        for firing in chosen {
            switch overlap {
            case .allow:
                plan.firings.append(firing)
            case .skip:
                if active { plan.skipped += 1 } else { plan.firings.append(firing); active = true }
            case .wait:
                if !active {
                    plan.firings.append(firing)
                    active = true
                } else if plan.held == nil {
                    plan.held = firing
                } else {
                    plan.skipped += 1
                }
            }
        }
        return plan
    }

    /// An instant at or before the first of the last `count` firings up to `now`, and not before
    /// `earliest`: found by looking back from `now` twice as far each time. Every firing before it is
    /// older than `count` later ones, so no catch-up can keep it.
    private static func keptFiringsStart(
        after earliest: Timestamp, now: Timestamp, count: Int, next: (Timestamp) -> Timestamp?
    ) -> Timestamp {
        var span = Duration.seconds(1)
        while true {
            let start = now - span
            if start <= earliest { return earliest }
            var found = 0
            var position = next(start - .microseconds(1))
            while let firing = position, firing <= now, found < count {
                found += 1
                position = next(firing)
            }
            if found >= count { return start }
            span = span * 2
        }
    }
}

/// The most recent firings seen, at most `capacity` of them: a ring, so that a long catch-up keeps
/// only what it may create jobs for.
private struct LatestFirings {
    let capacity: Int
    private var storage: [Timestamp] = []
    private var start = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage.reserveCapacity(min(capacity, 64))
    }

    mutating func append(_ firing: Timestamp) {
        if storage.count < capacity {
            storage.append(firing)
        } else {
            storage[start] = firing
            start = (start + 1) % capacity
        }
    }

    /// Oldest first.
    var elements: [Timestamp] { Array(storage[start...] + storage[..<start]) }
}
