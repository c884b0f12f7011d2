import Docket
import Foundation

@testable import DocketTorture

/// The checks after a torture run, on the journal as it is on disk and on the handlers' execution log.
struct TortureVerdict: Sendable {
    var jobs = 0
    /// Scripted jobs that did not reach their scripted terminal state (missing, or in another state).
    var lost = 0
    /// Executions that repeated work because a kill hit the job while it ran.
    var duplicateRuns = 0
    /// Executions that repeated work because an early stop released the job while it ran.
    var releasedRuns = 0
    var problems: [String] = []
}

struct TortureVerifier {
    let settings: TortureSettings
    let record: TortureRecord

    private struct Row {
        var id: String, state: JobState?, attempt: Int, maxAttempts: Int, uniqueKey: String?, lastError: String
        /// Whether the job row records an attempt (`attempted_at`): a completed job's completing one.
        var recordsAttempt: Bool
    }

    private struct AttemptRow {
        var attempt: Int, closed: Bool, outcome: String
    }

    func verify(journal: String, log: String) throws -> TortureVerdict {
        var verdict = TortureVerdict()
        // Kept apart from `verdict`, which the checks below also take inout.
        var problems: [String] = []
        func problem(_ text: String) { problems.append("\(settings): \(text)") }
        let database = try RawDatabase(path: journal, readOnly: true)
        let integrity = try database.rows("PRAGMA integrity_check").compactMap { $0.first ?? nil }
        if integrity != ["ok"] { problem("PRAGMA integrity_check says \(integrity.prefix(5))") }

        var rows: [String: [Row]] = [:]
        for row in try database.rows(
            "SELECT id, queue, state, attempt, max_attempts, unique_key, coalesce(last_error, ''), "
                + "attempted_at IS NOT NULL FROM jobs")
        {
            let job = Row(
                id: row[0] ?? "?", state: Int(row[2] ?? "").flatMap { JobState(code: $0) }, attempt: Int(row[3] ?? "") ?? -1,
                maxAttempts: Int(row[4] ?? "") ?? -1, uniqueKey: row[5], lastError: row[6] ?? "",
                recordsAttempt: row[7] == "1")
            rows[row[1] ?? "", default: []].append(job)
        }
        var attempts: [String: [AttemptRow]] = [:]
        for row in try database.rows("SELECT job_id, attempt, finished_at IS NOT NULL, coalesce(outcome, '') FROM attempts ORDER BY seq") {
            attempts[row[0] ?? "", default: []].append(
                AttemptRow(attempt: Int(row[1] ?? "") ?? -1, closed: row[2] == "1", outcome: row[3] ?? ""))
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let (executions, malformed) = ExecutionLog.parse(text)
        if !malformed.isEmpty { problem("the execution log has malformed lines: \(malformed.prefix(3))") }
        let executionsByQueue = Dictionary(grouping: executions, by: \.queue)

        var scripted: Set<String> = []
        var kinds: [String: TortureKind] = [:]
        for round in 0..<record.rounds {
            let script = TortureScript.jobs(
                seed: settings.seed, round: round, count: settings.jobsPerRound, killsPerRound: settings.disruptionsPerRound)
            for job in script {
                scripted.insert(job.queue)
                kinds[job.queue] = job.kind
                verdict.jobs += 1
                let runs = executionsByQueue[job.queue] ?? []
                let found = rows[job.queue] ?? []
                if job.fate == .merged {
                    if !found.isEmpty { problem("\(job.queue) repeats a held unique key, yet was inserted as job \(found[0].id)") }
                    if !runs.isEmpty { problem("\(job.queue) repeats a held unique key, yet ran \(runs.count) time(s)") }
                    continue
                }
                guard found.count == 1, let row = found.first else {
                    verdict.lost += 1
                    problem("\(job.queue) (\(job.kind)) is in the journal \(found.count) times, expected once")
                    continue
                }
                let label = "\(job.queue) (\(job.kind), job \(row.id))"
                if row.state?.rawValue != job.fate.rawValue {
                    verdict.lost += 1
                    problem("\(label) ended \(row.state.map { "\($0)" } ?? "in an unknown state"), scripted \(job.fate); last error: \(row.lastError)")
                }
                if row.attempt > row.maxAttempts || row.maxAttempts != job.maxAttempts {
                    problem("\(label) counts attempt \(row.attempt) of \(row.maxAttempts); the script allows \(job.maxAttempts)")
                }
                check(attempts[row.id] ?? [], of: job, row: row, label: label, problem: problem)
                check(runs, of: job, label: label, verdict: &verdict, problem: problem)
            }
        }
        for (queue, found) in rows where !scripted.contains(queue) {
            problem("the journal holds \(found.count) job(s) in queue \(queue), which no round scripted")
        }
        for (queue, runs) in executionsByQueue where !scripted.contains(queue) {
            problem("the execution log shows \(runs.count) run(s) of \(queue), which no round scripted")
        }
        checkOverlaps(text, kinds: kinds, problem: problem)
        verdict.problems = problems
        return verdict
    }

    /// No job runs twice at once, in one process or across several: when an execution starts, any
    /// other of the same job still open (started, not finished, in the log's order, which is the
    /// order of the writes) must be in a process that was killed or stopped, or be a timed-out
    /// attempt, whose handler Docket does not wait for.
    private func checkOverlaps(_ text: String, kinds: [String: TortureKind], problem: (String) -> Void) {
        var open: [String: [(attempt: Int, pid: Int32)]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 4, let attempt = Int(fields[2]), let pid = Int32(fields[3]) else { continue }
            let queue = fields[1]
            if fields[0] == "F" {
                open[queue]?.removeAll { $0.attempt == attempt && $0.pid == pid }
                continue
            }
            for other in open[queue] ?? [] {
                let excused = record.killedPIDs.contains(other.pid) || record.stoppedPIDs.contains(other.pid)
                    || kinds[queue] == .timingOut
                if !excused {
                    problem(
                        "\(queue) attempt \(attempt) started in pid \(pid) while attempt \(other.attempt) still ran in pid \(other.pid), which was neither killed nor stopped")
                }
            }
            open[queue, default: []].append((attempt, pid))
        }
    }

    /// The attempt rows of one job: all closed with an outcome, none past the limit, one discard at
    /// most, none for a completion (the job row records the completing attempt), and together with
    /// that completion exactly as many attempts as the job counts: every claim adds one, and ends
    /// either in a completion, in a row that keeps it (retried, discarded, interrupted) or in one that
    /// gives it back (snoozed, released).
    private func check(
        _ attempts: [AttemptRow], of job: TortureJob, row: Row, label: String, problem: (String) -> Void
    ) {
        if attempts.contains(where: { !$0.closed || $0.outcome.isEmpty }) {
            problem("\(label) has an attempt row left open: \(attempts.map(\.outcome))")
        }
        if let over = attempts.first(where: { $0.attempt > job.maxAttempts }) {
            problem("\(label) has an attempt row numbered \(over.attempt), over its \(job.maxAttempts) attempts")
        }
        let completedRows = attempts.filter { $0.outcome == "completed" }.count
        let discarded = attempts.filter { $0.outcome == "discarded" }.count
        let completed = row.state == .completed
        if completedRows > 0 || discarded > 1 || (completed && discarded > 0) {
            problem("\(label) has \(completedRows) completed and \(discarded) discarded attempt rows; scripted \(job.fate)")
        }
        if completed, !row.recordsAttempt { problem("\(label) completed, but its row records no attempt (attempted_at)") }
        let kept = attempts.filter { ["retried", "discarded", "interrupted"].contains($0.outcome) }.count
        let accounted = kept + (completed ? 1 : 0)
        if accounted != row.attempt {
            problem("\(label) counts attempt \(row.attempt), but its history accounts for \(accounted): \(attempts.map(\.outcome))")
        }
        if job.fate == .cancelled, !attempts.isEmpty { problem("\(label) was cancelled, yet has \(attempts.count) attempt rows") }
    }

    /// The executions of one job: each as its kind allows, and a repeat only after a kill or a stop.
    private func check(
        _ runs: [Execution], of job: TortureJob, label: String, verdict: inout TortureVerdict, problem: (String) -> Void
    ) {
        if [.undecodable, .cancelled].contains(job.kind) {
            if !runs.isEmpty { problem("\(label) must never reach its handler, yet ran \(runs.count) time(s)") }
            return
        }
        for (index, run) in runs.enumerated() {
            let killed = record.killedPIDs.contains(run.pid)
            let stopped = record.stoppedPIDs.contains(run.pid)
            if run.attempt > job.maxAttempts { problem("\(label) ran attempt \(run.attempt) of \(job.maxAttempts)") }
            if let outcome = run.outcome, !allows(outcome, job, attempt: run.attempt) {
                problem("\(label) attempt \(run.attempt) ended \(outcome), which its script never does")
            }
            let isLast = index == runs.count - 1
            switch run.outcome {
            case nil:
                // Docket does not wait for a handler it cancelled (timeout, shutdown), so a process may
                // exit before such a handler logs its end.
                if killed {
                    if !isLast { verdict.duplicateRuns += 1 }
                } else if stopped {
                    if !isLast { verdict.releasedRuns += 1 }
                } else if job.kind != .timingOut {
                    problem("\(label) attempt \(run.attempt) in pid \(run.pid) never finished, and that pid was neither stopped nor killed")
                }
            case .ok?, .discard?:
                // The handler logs its end just before it returns; a kill, or a stop's cancellation, can
                // come in between, and the attempt then counts as interrupted or released.
                guard !isLast else { break }
                if killed {
                    verdict.duplicateRuns += 1
                } else if stopped {
                    verdict.releasedRuns += 1
                } else {
                    problem("\(label) ran again after attempt \(run.attempt) ended \(run.outcome!) in pid \(run.pid), which was neither stopped nor killed")
                }
            case .cancelled? where job.kind != .timingOut:
                guard !isLast else { break }
                if killed || stopped {
                    verdict.releasedRuns += 1
                } else {
                    problem("\(label) attempt \(run.attempt) was cancelled in pid \(run.pid), which was neither stopped nor killed")
                }
            case .cancelled?, .fail?, .snooze?:
                break
            }
        }
        if job.fate == .completed, runs.last?.outcome != .ok {
            problem("\(label) completed, but its last run ended \(runs.last?.outcome.map { "\($0)" } ?? "nowhere"): \(runs.count) run(s)")
        }
    }

    private func allows(_ outcome: ExecutionOutcome, _ job: TortureJob, attempt: Int) -> Bool {
        switch (job.kind, outcome) {
        case (_, .cancelled): true
        case (.quick, .ok), (.delayed, .ok), (.unique, .ok), (.snoozing, .ok), (.snoozing, .snooze): true
        case (.flaky, .fail): attempt <= job.failures
        case (.flaky, .ok): attempt > job.failures
        case (.failing, .fail), (.refused, .discard): true
        default: false
        }
    }
}
