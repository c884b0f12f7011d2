import DocketCore

extension SQLiteJournal {
    /// Claims when queues are declared or paused: reads each queue's standing (limits, pause,
    /// running and scheduled counts, rate window) in this transaction, lets ``QueueShares`` divide
    /// the room among the queues with work, and claims each share with one statement over that
    /// queue's jobs. A queue that had fewer due jobs than its share is dry; its slots go round again
    /// to the others, until the room is used or every queue is dry or at its limits.
    ///
    /// Every write transaction of the journal begins IMMEDIATE, holding SQLite's write lock from its
    /// first statement, so the counts and starts this claim reads cannot change under it, whichever
    /// process claims: what ``QueueStore`` asks of a store that several processes claim from.
    static func claimByQueue(
        _ request: ClaimRequest, queues: [QueueRecord], on connection: Connection
    ) throws -> (jobs: [JobRecord], hold: ClaimHold?) {
        var standings = try standings(queues, now: request.now, on: connection)
        var room = request.limit
        var claimed: [JobRecord] = []
        var started: [String: Int] = [:]
        var dry: Set<String> = []
        var competing: Set<String> = []
        while room > 0 {
            let allowances = standings.values
                .filter { !dry.contains($0.name) && $0.allowance > 0 }
                .map { (queue: $0.name, allowance: $0.allowance) }
                .sorted { $0.queue < $1.queue }
            let shares = connection.queueShares.allot(room: room, among: allowances)
            guard !shares.isEmpty else { break }
            // Every queue with room competes, whether or not this round gave it a slot.
            competing.formUnion(allowances.map(\.queue))
            for share in shares {
                let jobs = try claim(request, limit: share.count, queue: share.queue, on: connection)
                if jobs.count < share.count { dry.insert(share.queue) }
                standings[share.queue]?.claimed(jobs.count, at: request.now)
                started[share.queue, default: 0] += jobs.count
                room -= jobs.count
                claimed += jobs
            }
        }
        connection.queueShares.credit(started: started, competing: competing.sorted(), dry: dry)
        try recordStarts(started, standings: standings, now: request.now, on: connection)
        let hold = ClaimHold.combining(standings.values.compactMap { $0.hold(isDry: dry.contains($0.name)) })
        return (claimed, hold)
    }

    /// Every queue with scheduled jobs or a declaration, as this transaction sees it: counts include
    /// what the transaction changed before the claim (the tick's outcomes), since its count deltas
    /// are written first.
    private static func standings(
        _ queues: [QueueRecord], now: Timestamp, on connection: Connection
    ) throws -> [String: QueueStanding] {
        try connection.flushCountDeltas()
        let counts = try queueCounts(on: connection)
        var standings: [String: QueueStanding] = [:]
        for (name, count) in counts where count.scheduled > 0 {
            standings[name] = QueueStanding(name: name, limits: nil, isPaused: false, running: count.running, scheduled: count.scheduled)
        }
        for queue in queues {
            let count = counts[queue.name]
            var standing = QueueStanding(
                name: queue.name, limits: queue.limits, isPaused: queue.isPaused, running: count?.running ?? 0,
                scheduled: count?.scheduled ?? 0)
            if let rate = queue.limits?.rate {
                let cutoff = now - rate.period
                try connection.run("DELETE FROM queue_starts WHERE queue = ?1 AND started_at <= ?2", [queue.name, cutoff])
                let starts = try connection.rows(
                    "SELECT started_at, count FROM queue_starts WHERE queue = ?1 ORDER BY started_at", [queue.name]
                ) { (at: Timestamp(microsecondsSinceEpoch: $0.int64(0)), count: $0.int(1)) }
                standing.window = RateWindow(rate: rate, starts: starts, now: now)
            }
            standings[queue.name] = standing
        }
        return standings
    }

    /// Keeps the starts of rate-limited queues, one row per queue and claim instant.
    private static func recordStarts(
        _ started: [String: Int], standings: [String: QueueStanding], now: Timestamp, on connection: Connection
    ) throws {
        for (queue, count) in started where count > 0 && standings[queue]?.window != nil {
            try connection.run(
                "INSERT INTO queue_starts (queue, started_at, count) VALUES (?1, ?2, ?3) "
                + "ON CONFLICT DO UPDATE SET count = count + excluded.count",
                [queue, now, count])
        }
    }
}
