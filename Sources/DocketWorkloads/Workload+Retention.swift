import Docket
import Foundation

/// Retention figures: journals holding ended jobs past their keep duration.
///
/// `prefill` writes them with one SQL statement (a recursive CTE) on a plain connection, untimed:
/// 80 % completed, 10 % cancelled, 10 % discarded with one attempt row each, ended 8 to 9 days ago,
/// so every default keep duration has passed. W2 and W3 with `--prunable N` run on such a journal
/// while the scheduler's own prune passes delete them; R1 times `prune()` itself and the journal's
/// file size before and after, on a new journal and on one without auto_vacuum (a journal created
/// before retention existed), and what a one-time VACUUM of the latter costs.
enum RetentionWorkload {
    /// Creates the journal at `path` as Docket does (its schema, auto_vacuum INCREMENTAL) unless
    /// `legacyVacuum`, which turns auto_vacuum off as in a journal made before version 6, then adds
    /// `count` ended jobs. Returns the seconds it took.
    @discardableResult
    static func prefill(path: String, count: Int, options: Options, legacyVacuum: Bool = false) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let open = try Harness.open(path: path, Harness.configuration(options, concurrency: 16))
        await open.scheduler.close()
        let now = Int64(Date().timeIntervalSince1970 * 1e6)
        let ended = now - 9 * 86_400 * 1_000_000
        try await RawSQLite.onOwnThread("prefill") {
            let connection = try RawSQLite.writer(path: path, durability: .normal, busyTimeout: .seconds(5))
            if legacyVacuum { try connection.execute("PRAGMA auto_vacuum = NONE; VACUUM") }
            try connection.execute("BEGIN IMMEDIATE")
            // Constants of this function only; nothing from outside reaches the SQL text.
            try connection.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)) \
                INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, lease_owner, \
                created_at, updated_at, finished_at, last_error, attempted_at) \
                SELECT 'old', 'default', 0, CAST('{"index":' || i || '}' AS BLOB), \
                CASE i % 10 WHEN 0 THEN 3 WHEN 1 THEN 4 ELSE 2 END, \(ended) + i, CASE i % 10 WHEN 1 THEN 0 ELSE 1 END, \
                CASE i % 10 WHEN 0 THEN 1 ELSE 3 END, CASE i % 10 WHEN 1 THEN NULL ELSE 'old-owner' END, \
                \(ended) + i, \(ended) + i, \(ended) + i, CASE i % 10 WHEN 0 THEN 'boom' END, \
                CASE i % 10 WHEN 1 THEN NULL ELSE \(ended) + i END FROM n
                """)
            try connection.execute("""
                INSERT INTO attempts (job_id, attempt, owner, started_at, finished_at, outcome, error) \
                SELECT id, 1, 'old-owner', finished_at, finished_at, 'discarded', 'boom' FROM jobs WHERE state = 3
                """)
            try connection.execute("COMMIT")
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        // The bulk insert bypassed the journal's kept counts: it recounts, as `docket doctor
        // --rebuild-counts` does, so that pruning the old jobs leaves them exact.
        let recount = try Harness.open(path: path, Harness.configuration(options, concurrency: 16))
        _ = try await recount.journal.rebuildCounts()
        await Harness.close(recount)
        return (clock.now - start).seconds
    }

    /// The ended jobs a run's prune passes deleted: those prefilled minus the old ones left.
    static func prunedNote(prefilled: Int, left: Int, seconds: Double) -> String {
        "; \(grouped(prefilled)) ended jobs past retention prefilled (untimed, \(fixed(seconds, 1)) s), "
            + "\(grouped(prefilled - left)) pruned by the scheduler during the run"
    }

    /// Old jobs left in the journal at `path` (read-only), by the prefill's job name; only the
    /// completed ones with `completedOnly`.
    static func oldJobsLeft(path: String, completedOnly: Bool = false) throws -> Int {
        let connection = try RawSQLite(path: path, readOnly: true)
        let statement = try connection.prepare(
            "SELECT count(*) FROM jobs WHERE name = 'old'" + (completedOnly ? " AND state = 2" : ""))
        guard try statement.step() else { return 0 }
        return Int(statement.int64(0))
    }

    /// R1: `prune()` over N prefilled ended jobs; file sizes before and after.
    static func r1(_ options: Options, legacyVacuum: Bool, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .r1)
        let path = directory + "/r1.docket"
        let label = legacyVacuum ? "R1 (auto_vacuum none)" : "R1"
        progress("\(label): prefilling \(grouped(count)) ended jobs")
        try await prefill(path: path, count: count, options: options, legacyVacuum: legacyVacuum)
        let before = fileMB(path)
        let open = try Harness.open(path: path, Harness.configuration(options, concurrency: 16))
        let clock = ContinuousClock()
        let statistics = open.journal.statistics
        let start = clock.now
        let report = try await open.scheduler.prune()
        let seconds = (clock.now - start).seconds
        let commits = open.commits(since: statistics)
        await open.scheduler.close()
        let after = fileMB(path)
        var notes = "prune() of \(grouped(count)) prefilled ended jobs (\(report)), batches of \(JobRetention().batchSize), "
            + "\(grouped(commits.transactions)) commits; journal file \(fixed(before, 1)) MB before, \(fixed(after, 1)) MB after (closed, WAL checkpointed)"
        if legacyVacuum {
            let vacuumStart = clock.now
            try await RawSQLite.onOwnThread("vacuum") {
                let connection = try RawSQLite.writer(path: path, durability: options.durability, busyTimeout: .seconds(5))
                try connection.execute("PRAGMA auto_vacuum = INCREMENTAL; VACUUM")
            }
            let vacuumSeconds = (clock.now - vacuumStart).seconds
            notes += "; then PRAGMA auto_vacuum = INCREMENTAL; VACUUM took \(fixed(vacuumSeconds, 3)) s, file \(fixed(fileMB(path), 1)) MB"
            // What the same VACUUM costs before the prune, on the full journal: the price of a one-time
            // VACUUM at migration.
            let full = directory + "/r1-full.docket"
            try await prefill(path: full, count: count, options: options, legacyVacuum: true)
            let fullStart = clock.now
            try await RawSQLite.onOwnThread("vacuum-full") {
                let connection = try RawSQLite.writer(path: full, durability: options.durability, busyTimeout: .seconds(5))
                try connection.execute("PRAGMA auto_vacuum = INCREMENTAL; VACUUM")
            }
            notes += "; the same VACUUM on the unpruned journal (\(fixed(fileMB(full), 1)) MB) took \(fixed((clock.now - fullStart).seconds, 3)) s"
        }
        var row = ResultRow(
            workload: legacyVacuum ? "R1-legacy" : "R1", jobs: count, seconds: seconds, rssMB: Memory.peakMB(),
            durability: options.durabilityName, concurrency: nil, notes: notes)
        if report.total != count - 1 {
            row.violation = "\(label): pruned \(report.total) of \(count) (all but the newest expected)"
        }
        return row
    }

    /// The size of the file at `path` in MB (10^6 bytes); 0 when it is absent.
    static func fileMB(_ path: String) -> Double {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        return size / 1e6
    }
}
