import Docket
import DocketCore
import Foundation

/// I1 (Docket's own, for issue 12): inspection on a large journal. Builds N jobs (1,000,000 by
/// default) on the journal's real schema with one bulk SQL statement, then has the journal recount
/// them (`rebuildCounts`, the path `docket doctor --rebuild-counts` takes), and times the
/// inspection API: counts, the oldest due job's lateness, a first and a deep page of each listing
/// filter, and whole listings of rare matches. One row per measurement, each with p50/p99/max
/// over its calls (ms).
enum InspectionWorkload {
    static let queues = 8
    static let names = 40
    static let calls = 50

    static func i1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .i1)
        let path = directory + "/i1.docket"
        let configuration = Harness.configuration(options, concurrency: 16)
        let now = try await prefill(path: path, count: count, label: "I1", options)
        let scheduler = try JobScheduler(path: path, configuration: configuration)
        do {
            let row = try await measureAll(scheduler, count: count, now: now, options)
            await scheduler.close()
            return row
        } catch {
            await scheduler.close()
            throw error
        }
    }

    /// A journal at `path` of `count` jobs as ``fill(path:count:now:durability:)`` makes them, its
    /// counts rebuilt; returns the instant the jobs' times are relative to.
    static func prefill(path: String, count: Int, label: String, _ options: Options) async throws -> Timestamp {
        let configuration = Harness.configuration(options, concurrency: 16)
        // Creates the schema, then gets out of the way of the bulk insert.
        let open = try Harness.open(path: path, configuration)
        _ = try await open.scheduler.counts()
        await Harness.close(open)
        let clock = ContinuousClock()
        let buildStart = clock.now
        let now = Timestamp(Date())
        try fill(path: path, count: count, now: now, durability: options.durability)
        progress("\(label): \(grouped(count)) jobs built in \(fixed((clock.now - buildStart).seconds)) s")
        let recount = try Harness.open(path: path, configuration)
        let recountStart = clock.now
        _ = try await recount.journal.rebuildCounts()
        progress("\(label): counts rebuilt in \(fixed((clock.now - recountStart).seconds)) s")
        await Harness.close(recount)
        return now
    }

    /// Runs `body` `times` times; returns each call's milliseconds and the last call's note.
    static func timed(_ times: Int, _ body: () async throws -> String) async throws -> (samples: [Double], detail: String) {
        let clock = ContinuousClock()
        var samples: [Double] = []
        var detail = ""
        for _ in 0..<times {
            let start = clock.now
            detail = try await body()
            samples.append((clock.now - start).seconds * 1000)
        }
        return (samples, detail)
    }

    /// A row of one measurement's calls: their total time and their latencies.
    static func latencyRow(_ workload: String, jobs: Int, samples: [Double], _ options: Options, notes: String) -> ResultRow {
        ResultRow(
            workload: workload, jobs: jobs, seconds: samples.reduce(0, +) / 1000, latencies: Percentiles(milliseconds: samples),
            rssMB: Memory.peakMB(), durability: options.durabilityName, concurrency: nil, notes: notes)
    }

    private static func measureAll(
        _ scheduler: JobScheduler, count: Int, now: Timestamp, _ options: Options
    ) async throws -> ResultRow {
        var rows: [ResultRow] = []
        func measure(_ label: String, times: Int = InspectionWorkload.calls, _ body: () async throws -> String) async throws {
            let (samples, detail) = try await timed(times, body)
            rows.append(latencyRow("I1", jobs: count, samples: samples, options, notes: "\(label); \(times) calls; \(detail)"))
        }

        var breakdown = JobCountBreakdown()
        try await measure("counts by state per queue and per name (countBreakdown)") {
            breakdown = try await scheduler.countBreakdown()
            return "\(breakdown.byQueue.count) queues, \(breakdown.byName.count) names, \(breakdown.total.total) jobs"
        }
        try await measure("counts by state (counts)") { "\(try await scheduler.counts().total) jobs" }
        try await measure("oldest due lateness") {
            "lateness \(try await scheduler.oldestDueLateness().map { "\($0)" } ?? "none")"
        }
        let hour = 3600.0
        let filters: [(String, JobQuery, JobState)] = [
            ("state completed", JobQuery(states: [.completed]), .completed),
            ("state discarded", JobQuery(states: [.discarded]), .discarded),
            ("every state", JobQuery(), .completed),
            ("name (1 of 40), any state", JobQuery(names: ["job-7"]), .completed),
            ("queue (1 of 8) + state completed", JobQuery(states: [.completed], queues: ["queue-3"]), .completed),
            (
                "state scheduled + run-at range (next hour)",
                JobQuery(states: [.scheduled], runAfter: now.date, runBefore: now.date.addingTimeInterval(hour)), .scheduled
            ),
            (
                "state completed + finished range (one hour of ~28)",
                JobQuery(
                    states: [.completed], finishedAfter: now.date.addingTimeInterval(-10 * hour),
                    finishedBefore: now.date.addingTimeInterval(-9 * hour)), .completed
            ),
            ("schedule name", JobQuery(scheduleName: "nightly-3"), .completed),
            ("error text, any state", JobQuery(errorContains: "quota exceeded"), .completed),
            ("error text + state discarded", JobQuery(states: [.discarded], errorContains: "refused"), .discarded),
        ]
        for (label, query, deepState) in filters {
            try await measure("first page of 50, \(label)") {
                let page = try await scheduler.jobs(matching: query, limit: 50)
                return "\(page.jobs.count) jobs, \(page.examined) rows read"
            }
            // Nine tenths of the way through the ids, in the state the listing spends most time in.
            let deep = JobCursor(state: deepState, id: JobID(Int64(count) * 9 / 10))
            try await measure("deep page of 50 (after \(deep)), \(label)") {
                let page = try await scheduler.jobs(matching: query, after: deep, limit: 50)
                return "\(page.jobs.count) jobs, \(page.examined) rows read"
            }
        }
        for (label, query) in [
            ("error text, any state", JobQuery(errorContains: "quota exceeded")),
            ("state completed + finished range (one hour of ~28)", filters[6].1),
        ] {
            try await measure("whole listing, pages of 50, \(label)", times: 5) {
                var pages = 0
                var jobs = 0
                var cursor: JobCursor?
                repeat {
                    let page = try await scheduler.jobs(matching: query, after: cursor, limit: 50)
                    pages += 1
                    jobs += page.jobs.count
                    cursor = page.next
                } while cursor != nil
                return "\(jobs) jobs in \(pages) pages"
            }
        }
        // The runner prints the row a workload returns; the others are printed here, in order.
        let last = rows.removeLast()
        rows.forEach(ResultOutput.emit)
        return last
    }

    /// Job `i` of N: state by i mod 100 (85 completed, 8 scheduled of which half due, 3 discarded, 2
    /// cancelled, 2 running), name i mod 40, queue i mod 8, one job in 50 from a schedule, finished
    /// over the last ~28 hours in id order, errors on discarded jobs (one in seven "quota exceeded")
    /// and on a third of the scheduled ones (a retry waiting).
    static func fill(path: String, count: Int, now: Timestamp, durability: Durability) throws {
        let connection = try RawSQLite.writer(path: path, durability: durability, busyTimeout: .seconds(5))
        let t = now.microsecondsSinceEpoch
        try connection.execute("BEGIN")
        try connection.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)),
            s(i, k) AS (SELECT i, i % 100 FROM n)
            INSERT INTO jobs (id, name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key,
                lease_owner, lease_expires_at, created_at, updated_at, finished_at, last_error, timeout_us, retry,
                unique_scope, schedule_name, schedule_fire_at, attempted_at)
            SELECT i, 'job-' || (i % \(names)), 'queue-' || (i % \(queues)), i % 10, x'7b7d',
                CASE WHEN k < 85 THEN 2 WHEN k < 93 THEN 0 WHEN k < 96 THEN 3 WHEN k < 98 THEN 4 ELSE 1 END,
                CASE WHEN k BETWEEN 85 AND 88 THEN \(t) - (i % 3600) * 1000000
                     WHEN k BETWEEN 89 AND 92 THEN \(t) + (i % 7200) * 1000000
                     ELSE \(t) - 100000000000 + i * 1000 END,
                CASE WHEN k < 85 OR k >= 98 THEN 1 WHEN k < 93 THEN (i % 3) ELSE 3 END, 3, NULL,
                CASE WHEN k >= 98 THEN 'bench-owner' END, CASE WHEN k >= 98 THEN \(t) + 60000000 END,
                \(t) - 100000000000 + i * 1000, \(t),
                CASE WHEN k < 85 OR k BETWEEN 93 AND 97 THEN \(t) - 100000000000 + i * 100000 END,
                CASE WHEN k BETWEEN 93 AND 95 THEN
                        CASE WHEN i % 7 = 0 THEN 'disk quota exceeded on volume ' || (i % 5)
                             ELSE 'connection refused by host-' || (i % 13) END
                     WHEN k BETWEEN 85 AND 92 AND i % 3 > 0 THEN 'timeout after ' || (i % 500) || ' ms' END,
                NULL, NULL, 0,
                CASE WHEN i % 50 = 0 THEN 'nightly-' || ((i / 50) % 5) END, CASE WHEN i % 50 = 0 THEN \(t) - i END,
                CASE WHEN k < 85 OR k >= 98 THEN \(t) - 100000000000 + i * 100000 END
            FROM s
            """)
        try connection.execute("COMMIT")
    }
}
