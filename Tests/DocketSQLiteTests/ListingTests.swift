import DocketCore
import Testing

@testable import DocketSQLite

/// `jobs(matching:)`: the same jobs as filtering every job, in (state, id) order, however the pages
/// are cut, and each page a range of jobs_state.
@Suite struct ListingTests {
    /// 60 jobs over three names, two queues, every state, some with errors, some from a schedule.
    private func journalWithJobs() async throws -> (SQLiteJournal, [JobRecord]) {
        let journal = try memoryJournal()
        for index in 0..<60 {
            var job = NewJob(
                name: "n\(index % 3)", queue: "q\(index % 2)", runAt: at(Int64(index)), maxAttempts: index % 4 == 0 ? 1 : 3)
            if index % 7 == 0 { job.origin = ScheduleStamp(schedule: "nightly", firing: at(Int64(index))) }
            _ = try await journal.insert(job, now: t0)
        }
        let claimed = try await journal.claim(now: at(40), limit: 36)
        var changes: [JobChange] = []
        for (offset, job) in claimed.enumerated() {
            switch offset % 4 {
            case 0: changes.append(JobChange(id: job.id, event: .complete, expectedAttempt: job.attempt))
            case 1: changes.append(JobChange(id: job.id, event: .discard, expectedAttempt: job.attempt, error: "refused: \(offset)"))
            case 2: changes.append(JobChange(id: job.id, event: .retry(runAt: at(100)), expectedAttempt: job.attempt, error: "timeout \(offset)"))
            default: break
            }
        }
        _ = try await journal.apply(changes, now: at(45))
        for job in try await journal.jobs(in: .scheduled, after: nil, limit: 100).suffix(5) {
            try await journal.apply(JobChange(id: job.id, event: .cancel), now: at(46))
        }
        var all: [JobRecord] = []
        for state in JobState.allCases { all += try await journal.jobs(in: state, after: nil, limit: 1_000) }
        return (journal, all)
    }

    private func everything(_ journal: SQLiteJournal, _ base: JobListRequest) async throws -> [JobRecord] {
        var request = base
        var found: [JobRecord] = []
        repeat {
            let page = try await journal.jobs(matching: request)
            #expect(page.jobs.count <= request.limit && page.examined <= request.examineLimit)
            found += page.jobs
            request.after = page.next
        } while request.after != nil
        return found
    }

    private func request(_ configure: (inout JobListRequest) -> Void) -> JobListRequest {
        var request = JobListRequest(states: JobState.allCases, limit: 1_000, examineLimit: 10_000)
        configure(&request)
        return request
    }

    @Test func everyFilterListsWhatFilteringEveryJobFinds() async throws {
        let (journal, all) = try await journalWithJobs()
        let cases: [(JobListRequest, (JobRecord) -> Bool)] = [
            (request { _ in }, { _ in true }),
            (request { $0.states = [.discarded, .scheduled] }, { $0.state == .discarded || $0.state == .scheduled }),
            (request { $0.names = ["n1"] }, { $0.name == "n1" }),
            (request { $0.names = ["n0", "n2"]; $0.queues = ["q1"] }, { $0.name != "n1" && $0.queue == "q1" }),
            (request { $0.scheduleName = "nightly" }, { $0.origin?.schedule == "nightly" }),
            (request { $0.runAtFrom = at(10); $0.runAtUntil = at(20) }, { $0.runAt >= at(10) && $0.runAt < at(20) }),
            (request { $0.finishedFrom = at(45); $0.finishedUntil = at(46) }, { $0.finishedAt == at(45) }),
            (request { $0.finishedFrom = at(46) }, { ($0.finishedAt ?? .distantPast) >= at(46) }),
            (request { $0.errorContains = "refused" }, { $0.lastError?.contains("refused") == true }),
            (request { $0.errorContains = "timeout 1"; $0.states = [.scheduled] }, {
                $0.state == .scheduled && $0.lastError?.contains("timeout 1") == true
            }),
        ]
        for (index, (base, matches)) in cases.enumerated() {
            // The request's states in its order (case 1 gives them out of JobState's order), ids ascending.
            let order = { (job: JobRecord) in (base.states.firstIndex(of: job.state) ?? 0, job.id.rawValue) }
            let expected = all.filter(matches).sorted { order($0) < order($1) }.map(\.id)
            #expect(!expected.isEmpty, "case \(index) matches nothing: it would prove nothing")
            #expect(try await everything(journal, base).map(\.id) == expected, "case \(index)")
            // Pages cut small by both bounds list the same jobs.
            var small = base
            small.limit = 2
            small.examineLimit = 3
            #expect(try await everything(journal, small).map(\.id) == expected, "case \(index), small pages")
        }
        await journal.close()
    }

    /// A page stops after its examine limit with fewer matches and a cursor where it stopped.
    @Test func aPageStopsAfterItsExamineLimit() async throws {
        let (journal, _) = try await journalWithJobs()
        let page = try await journal.jobs(
            matching: request {
                $0.states = [.scheduled]
                $0.errorContains = "no such error"
                $0.examineLimit = 4
            })
        #expect(page.jobs.isEmpty && page.examined == 4)
        // Scheduled jobs are walked by the rowid, so the rows of every state count against the limit.
        let first = try await journal.read { try $0.rows("SELECT id FROM jobs ORDER BY id LIMIT 4") { $0.int64(0) } }
        #expect(page.next == JobListCursor(state: .scheduled, id: JobID(first[3])))
        await journal.close()
    }

    /// Names or queues that no job of a state has skip the state without reading it.
    @Test func aStateWithoutTheNamesIsNotRead() async throws {
        let (journal, _) = try await journalWithJobs()
        let page = try await journal.jobs(matching: request { $0.names = ["nobody"] })
        #expect(page.jobs.isEmpty && page.examined == 0 && page.next == nil)
        await journal.close()
    }

    /// Each filter's walk is a search of jobs_state by state and id, or for scheduled and completed
    /// jobs (which the index leaves out) of the rowid, never a scan from the start or a sort.
    @Test func theWalkSearchesJobsStateByStateAndID() async throws {
        let journal = try memoryJournal()
        let filtered = request {
            $0.names = ["a"]
            $0.queues = ["b"]
            $0.scheduleName = "s"
            $0.runAtFrom = t0
            $0.finishedUntil = t0
            $0.errorContains = "x"
        }
        for base in [request { _ in }, filtered] {
            for state in JobState.allCases {
                let plan = try await journal.listingQueryPlan(base, state: state)
                let expected = !state.isInStateIndex
                    ? "SEARCH jobs USING INTEGER PRIMARY KEY (rowid>?)" : "SEARCH jobs USING INDEX jobs_state (<expr>=? AND rowid>?)"
                #expect(plan.first == expected, "\(state): \(plan)")
                #expect(!plan.contains { $0.hasPrefix("SCAN jobs") || $0.contains("TEMP B-TREE") }, "\(plan)")
            }
        }
        await journal.close()
    }
}
