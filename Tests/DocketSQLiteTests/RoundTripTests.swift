import DocketCore
import Testing

@testable import DocketSQLite

@Suite(.timeLimit(.minutes(5))) struct RoundTripTests {
    /// What the test does to the job at `index`: half complete, a quarter retry, a quarter discard.
    private enum Fate {
        case complete, retry, discard

        init(_ index: Int) {
            switch index % 4 {
            case 0, 1: self = .complete
            case 2: self = .retry
            default: self = .discard
            }
        }
    }

    private static let count = 10_000
    private static let retryAt = at(3_600)

    @Test func tenThousandJobsSurviveAReopenExactlyWhereTheirTransitionsPutThem() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/jobs.docket"
            let journal = try SQLiteJournal(path: path, durability: .normal)
            let jobs = (0..<Self.count).map {
                newJob("job-\($0 % 7)", priority: $0 % 10, payload: [UInt8(truncatingIfNeeded: $0)])
            }
            let ids = try await journal.insert(jobs, now: t0).map(\.id)
            #expect(Set(ids).count == Self.count)

            var claimed: [JobRecord] = []
            while true {
                let page = try await journal.claim(owner: "runner", now: at(1), limit: 1_000)
                if page.isEmpty { break }
                claimed += page
            }
            #expect(claimed.count == Self.count && Set(claimed.map(\.id)).count == Self.count)

            let changes = ids.enumerated().map { index, id in
                switch Fate(index) {
                case .complete: JobChange(id: id, event: .complete, expectedAttempt: 1)
                case .retry:
                    JobChange(id: id, event: .retry(runAt: Self.retryAt), expectedAttempt: 1, error: "retry \(index)")
                case .discard: JobChange(id: id, event: .discard, expectedAttempt: 1, error: "discard \(index)")
                }
            }
            for start in stride(from: 0, to: changes.count, by: 1_000) {
                let page = Array(changes[start..<min(start + 1_000, changes.count)])
                let results = try await journal.apply(page, now: at(2))
                #expect(results.allSatisfy { (try? $0.get()) != nil })
            }
            await journal.close()

            let reopened = try SQLiteJournal(path: path)
            #expect(try await reopened.countsByState() == [
                .completed: Self.count / 2, .scheduled: Self.count / 4, .discarded: Self.count / 4,
            ])
            var mismatches = 0
            for (index, id) in ids.enumerated() {
                guard let job = try await reopened.job(id), let attempt = try await reopened.attempts(of: id).first
                else {
                    mismatches += 1
                    continue
                }
                let attemptCount = try await reopened.attempts(of: id).count
                var ok = job.attempt == 1 && job.payload == [UInt8(truncatingIfNeeded: index)] && attemptCount == 1
                ok = ok && attempt.attempt == 1 && attempt.owner == "runner" && attempt.startedAt == at(1)
                ok = ok && attempt.finishedAt == at(2) && job.leaseOwner == nil
                switch Fate(index) {
                case .complete:
                    ok = ok && job.state == .completed && job.finishedAt == at(2) && job.runAt == t0
                    ok = ok && job.lastError == nil && attempt.outcome == .completed && attempt.error == nil
                case .retry:
                    ok = ok && job.state == .scheduled && job.finishedAt == nil && job.runAt == Self.retryAt
                    ok = ok && job.lastError == "retry \(index)" && attempt.outcome == .retried
                    ok = ok && attempt.error == "retry \(index)"
                case .discard:
                    ok = ok && job.state == .discarded && job.finishedAt == at(2) && job.runAt == t0
                    ok = ok && job.lastError == "discard \(index)" && attempt.outcome == .discarded
                    ok = ok && attempt.error == "discard \(index)"
                }
                if !ok { mismatches += 1 }
            }
            #expect(mismatches == 0)
            await reopened.close()
        }
    }
}
