import Docket
import DocketCore

/// What a scripted job does when it runs.
enum TortureKind: String, CaseIterable, Sendable {
    /// Runs for a moment and completes.
    case quick
    /// Due after a short delay; completes.
    case delayed
    /// Fails its first `failures` attempts, then completes.
    case flaky
    /// Snoozes until a deadline written in its payload, then completes.
    case snoozing
    /// Holds a unique key while it waits; completes.
    case unique
    /// Repeats the unique key of the job before it in the same batch: never inserted.
    case duplicate
    /// Fails every attempt; discarded once its attempts are spent.
    case failing
    /// Hangs past its 50 ms timeout on every attempt; discarded once its attempts are spent.
    case timingOut
    /// Its handler refuses it with `JobControl.discard`; discarded.
    case refused
    /// Its payload is not the JSON its typed handler decodes; discarded at once, never retried.
    case undecodable
    /// Scheduled an hour ahead, then cancelled; never runs.
    case cancelled
}

/// How a scripted job must end.
enum TortureFate: String, Sendable {
    case completed, discarded, cancelled
    /// A duplicate unique key: no job of its own, the holder's id is returned.
    case merged
}

/// One scripted job. `queue` is its identity in the journal and in the execution log.
struct TortureJob: Sendable, Hashable {
    var round: Int
    var index: Int
    var kind: TortureKind
    /// Jobs of one chunk are scheduled in one transaction.
    var chunk: Int
    var delayMilliseconds: Int
    /// Attempts a flaky job fails before it succeeds.
    var failures: Int
    var maxAttempts: Int
    var uniqueKey: String?

    var queue: String { "r\(round).j\(index)" }
    var name: String { kind == .undecodable ? TypedTortureJob.jobName : "torture.\(kind.rawValue)" }

    var fate: TortureFate {
        switch kind {
        case .quick, .delayed, .flaky, .snoozing, .unique: .completed
        case .failing, .timingOut, .refused, .undecodable: .discarded
        case .cancelled: .cancelled
        case .duplicate: .merged
        }
    }

    /// Reads a queue name written by ``queue`` back into (round, index).
    static func identity(ofQueue queue: String) -> (round: Int, index: Int)? {
        let parts = queue.split(separator: ".")
        guard parts.count == 2, parts[0].first == "r", parts[1].first == "j",
            let round = Int(parts[0].dropFirst()), let index = Int(parts[1].dropFirst())
        else { return nil }
        return (round, index)
    }
}

/// The typed payload of `undecodable` jobs' handler; their bytes never decode as it.
struct TypedTortureJob: JobPayload {
    static let jobName = "torture.typed"
    var index: Int
}

/// The jobs of one round, derived from the seed alone, so the parent knows every job's fate.
///
/// Every attempt a kill interrupts is counted (crash recovery cannot know how far it got), so a job
/// meant to complete gets `failures + killsPerRound + 2` attempts: a round sees at most
/// `killsPerRound` kills, and each kill interrupts a job at most once. A job meant to be discarded
/// gets few attempts, and kills only spend them sooner.
enum TortureScript {
    static let timeout = Duration.milliseconds(50)
    static let retryDelay = RetryStrategy.fixed(.milliseconds(5))
    static let snoozeFor = Duration.milliseconds(20)
    static let snoozeSpan = Duration.milliseconds(60)

    static func jobs(seed: UInt64, round: Int, count: Int, killsPerRound: Int) -> [TortureJob] {
        var random = SplitMix64(seed: seed &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
        let weighted: [(TortureKind, Int)] = [
            (.quick, 4), (.delayed, 3), (.flaky, 3), (.snoozing, 1), (.unique, 2), (.failing, 1),
            (.timingOut, 1), (.refused, 1), (.undecodable, 1), (.cancelled, 1),
        ]
        let pool = weighted.flatMap { Array(repeating: $0.0, count: $0.1) }
        var jobs: [TortureJob] = []
        var chunk = 0
        var chunkLeft = Int.random(in: 1...6, using: &random)
        while jobs.count < count {
            let kind = pool.randomElement(using: &random)!
            var job = TortureJob(
                round: round, index: jobs.count, kind: kind, chunk: chunk, delayMilliseconds: 0, failures: 0,
                maxAttempts: killsPerRound + 2, uniqueKey: nil)
            switch kind {
            case .delayed, .unique: job.delayMilliseconds = Int.random(in: 10...400, using: &random)
            case .flaky: job.failures = Int.random(in: 1...3, using: &random)
            case .failing: job.maxAttempts = 3
            case .timingOut: job.maxAttempts = 2
            case .refused, .undecodable: job.maxAttempts = 5
            case .cancelled: job.delayMilliseconds = 3_600_000
            case .quick, .snoozing, .duplicate: break
            }
            job.maxAttempts += job.failures
            if kind == .unique { job.uniqueKey = "key-" + job.queue }
            jobs.append(job)
            // A duplicate shares its holder's transaction: the holder is then surely scheduled.
            if kind == .unique, jobs.count < count, Bool.random(using: &random) {
                var duplicate = job
                duplicate.index = jobs.count
                duplicate.kind = .duplicate
                jobs.append(duplicate)
            }
            chunkLeft -= 1
            if chunkLeft <= 0 {
                chunk += 1
                chunkLeft = Int.random(in: 1...6, using: &random)
            }
        }
        return jobs
    }
}
