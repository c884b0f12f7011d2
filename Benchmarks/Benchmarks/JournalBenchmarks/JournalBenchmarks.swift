// The SQLite journal (`SQLiteJournal`, the scheduler's `JobStore`): insert, claim and complete.
//
// Each journal kind gets its own journal, opened in the benchmark's setup and closed (and deleted) in
// its teardown:
//
// - file-normal: a file in a fresh temporary directory, WAL, durability `.normal` (no fsync per commit);
// - file-full: the same with `.full` (fsync per commit, the library's default); single insert only;
// - memory: `JournalConfiguration(location: .inMemory)`.
//
// Operations, all awaited one after another from one task (so group commit never merges them):
//
// - insert single: 1,000 calls of `insert([job])`, one transaction each; figures per insert.
// - insert batch1000: one `insert` of 1,000 jobs, one transaction; figures per job.
// - claim batch64 / batch256: one `claim` of 64 or 256 due jobs, as the scheduler claims; figures per
//   claim call (multiply throughput by the batch size for jobs/s). The jobs are inserted before the
//   measurement starts.
// - complete single: 1,000 calls of `apply([.complete])`; figures per completion.
// - complete batch1000: one `apply` of 1,000 completions; figures per job. The jobs are inserted and
//   claimed before the measurement starts.
//
// Only `mallocCountTotal` has a threshold; times are reported, never asserted.

import Benchmark
import DocketCore
import DocketSQLite
import Foundation
import Synchronization

/// Where a benchmark's journal lives.
enum JournalKind: Sendable {
    case file(Durability)
    case inMemory

    var label: String {
        switch self {
        case .file(.normal): "file-normal"
        case .file(.full): "file-full"
        case .inMemory: "memory"
        }
    }
}

/// One open journal, from a benchmark's setup to its teardown.
final class JournalFixture: Sendable {
    let kind: JournalKind
    private let state = Mutex<(journal: SQLiteJournal, directory: URL?)?>(nil)

    init(_ kind: JournalKind) {
        self.kind = kind
    }

    /// Opens a new, empty journal.
    func open() throws {
        let directory: URL?
        let configuration: JournalConfiguration
        switch kind {
        case .file(let durability):
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("docket-bench-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            directory = folder
            configuration = JournalConfiguration(
                location: .file(path: folder.appendingPathComponent("bench.docket").path), durability: durability)
        case .inMemory:
            directory = nil
            configuration = JournalConfiguration(location: .inMemory)
        }
        let journal = try SQLiteJournal(configuration: configuration)
        state.withLock { $0 = (journal, directory) }
    }

    /// The open journal.
    var journal: SQLiteJournal {
        state.withLock { $0!.journal }
    }

    /// Closes the journal and deletes its directory.
    func close() async {
        guard let (journal, directory) = state.withLock({ state in defer { state = nil }; return state }) else { return }
        await journal.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Fixed instants: the journal takes times from its caller, so the benchmark needs no clock.
enum JournalTimes {
    /// 2026-01-01T00:00:00Z: every job's run-at and every operation's "now".
    static let now = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000)
    static let leaseExpiry = now + .seconds(600)
}

/// A small job of the kind an application schedules: a short JSON payload, due now.
let benchmarkJob = NewJob(name: "bench-job", payload: Array(#"{"userID":42}"#.utf8), runAt: JournalTimes.now)

/// Claims `limit` due jobs the way the scheduler does (named, with a lease).
func claimRequest(limit: Int) -> ClaimRequest {
    ClaimRequest(
        dueBy: JournalTimes.now, limit: limit, owner: "benchmark", leaseExpiresAt: JournalTimes.leaseExpiry,
        names: [benchmarkJob.name], now: JournalTimes.now)
}

/// Inserts and claims `count` jobs, outside the measurement.
func runningJobs(_ count: Int, in journal: SQLiteJournal) async throws -> [JobRecord] {
    _ = try await journal.insert(Array(repeating: benchmarkJob, count: count), now: JournalTimes.now)
    let claimed = try await journal.claim(claimRequest(limit: count))
    precondition(claimed.count == count, "claimed \(claimed.count) of \(count) jobs")
    return claimed
}

func completion(of job: JobRecord) -> JobChange {
    JobChange(id: job.id, event: .complete, expectedAttempt: job.attempt)
}

/// Metrics and thresholds of every journal benchmark.
func journalConfiguration(scalingFactor: BenchmarkScalingFactor, maxDuration: Duration = .seconds(2)) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: scalingFactor,
        maxDuration: maxDuration,
        maxIterations: 10_000,
        // Two threads (the caller's task and the journal's writer thread) take part, so allow some
        // drift; a regression that adds an allocation per job still shows.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(relative: [.p90: 10.0])]
    )
}

/// Registers the journal benchmarks of one kind; `full` registers only the single insert.
func registerJournalBenchmarks(_ kind: JournalKind) {
    let fixture = JournalFixture(kind)
    let label = kind.label
    let isFull = if case .file(.full) = kind { true } else { false }
    // Every benchmark opens a new journal in its setup and deletes it in its teardown.
    func register(
        _ name: String, _ scalingFactor: BenchmarkScalingFactor,
        _ body: @escaping (Benchmark) async throws -> Void
    ) {
        Benchmark(
            name, configuration: journalConfiguration(scalingFactor: scalingFactor), closure: body,
            setup: { try fixture.open() }, teardown: { await fixture.close() })
    }

    // Per insert. With `.full` every insert waits for an fsync, so it runs one insert per iteration.
    register("insert.single.\(label)", isFull ? .one : .kilo) { benchmark in
        let journal = fixture.journal
        for _ in benchmark.scaledIterations {
            blackHole(try await journal.insert([benchmarkJob], now: JournalTimes.now))
        }
    }
    if isFull { return }

    register("insert.batch1000.\(label)", .kilo) { benchmark in
        let jobs = Array(repeating: benchmarkJob, count: benchmark.scaledIterations.count)
        benchmark.startMeasurement()
        blackHole(try await fixture.journal.insert(jobs, now: JournalTimes.now))
    }

    for batch in [64, 256] {
        register("claim.batch\(batch).\(label)", .one) { benchmark in
            let journal = fixture.journal
            _ = try await journal.insert(Array(repeating: benchmarkJob, count: batch), now: JournalTimes.now)
            benchmark.startMeasurement()
            let claimed = try await journal.claim(claimRequest(limit: batch))
            benchmark.stopMeasurement()
            precondition(claimed.count == batch, "claimed \(claimed.count) of \(batch) jobs")
        }
    }

    register("complete.single.\(label)", .kilo) { benchmark in
        let journal = fixture.journal
        let jobs = try await runningJobs(benchmark.scaledIterations.count, in: journal)
        benchmark.startMeasurement()
        for job in jobs {
            blackHole(try await journal.apply([completion(of: job)], now: JournalTimes.now))
        }
    }

    register("complete.batch1000.\(label)", .kilo) { benchmark in
        let journal = fixture.journal
        let changes = try await runningJobs(benchmark.scaledIterations.count, in: journal).map(completion(of:))
        benchmark.startMeasurement()
        let results = try await journal.apply(changes, now: JournalTimes.now)
        benchmark.stopMeasurement()
        precondition(results.allSatisfy { (try? $0.get()) == .completed }, "a completion was refused")
    }
}

let benchmarks: @Sendable () -> Void = {
    registerJournalBenchmarks(.file(.normal))
    registerJournalBenchmarks(.file(.full))
    registerJournalBenchmarks(.inMemory)
}
