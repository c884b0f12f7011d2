import Docket
import DocketCommandLine
import DocketTesting
import Foundation
import Testing

/// The commands that change a journal: each one's human output and JSON, its dry run, and its
/// refusal of a job or schedule in the wrong state.
@Suite struct ActionCommandTests {
    @Test func cancelADryRunChangesNothingThenTheActionCancels() async throws {
        let fixture = try await ToolFixture()
        let dry = await docket("--journal", fixture.path, "jobs", "cancel", "2", "--dry-run")
        #expect(dry.code == 0, "\(dry.errors)")
        #expect(dry.lines == ["would cancel job 2 (scheduled)"])
        #expect(try await state(of: 2, in: fixture) == .scheduled)

        let done = await docket("--journal", fixture.path, "jobs", "cancel", "2", "--json")
        #expect(done.code == 0, "\(done.errors)")
        let report = try #require(try done.json() as? [String: Any])
        #expect(report["action"] as? String == "cancel" && report["job"] as? Int == 2)
        #expect(report["dryRun"] as? Bool == false && report["changed"] as? Bool == true)
        #expect(report["state"] as? String == "scheduled")
        #expect(try await state(of: 2, in: fixture) == .cancelled)

        let again = await docket("--journal", fixture.path, "jobs", "cancel", "2")
        #expect(again.code == 1)
        #expect(again.errors == "docket: job 2 is cancelled, and cancel acts on scheduled and running jobs only\n")
    }

    @Test func retryRunsACancelledJobAgainAndRefusesACompletedOne() async throws {
        let fixture = try await ToolFixture()
        let dry = await docket("--journal", fixture.path, "jobs", "retry", "4", "--dry-run", "--at", "2030-01-01T00:00:00Z")
        #expect(dry.lines == ["would retry job 4 (cancelled), due 2030-01-01T00:00:00Z"])
        #expect(try await state(of: 4, in: fixture) == .cancelled)
        let done = await docket("--journal", fixture.path, "jobs", "retry", "4", "--at", "2030-01-01T00:00:00Z", "--json")
        #expect(done.code == 0, "\(done.errors)")
        let report = try #require(try done.json() as? [String: Any])
        #expect(report["action"] as? String == "retry" && report["state"] as? String == "cancelled")
        #expect(report["runAt"] as? String == "2030-01-01T00:00:00Z")
        let job = try await job(4, in: fixture)
        #expect(job.state == .scheduled && job.runAt == Date(timeIntervalSince1970: 1_893_456_000))
        let completed = await docket("--journal", fixture.path, "jobs", "retry", "1")
        #expect(completed.code == 1)
        #expect(completed.errors == "docket: job 1 is completed, and retry acts on discarded and cancelled jobs only\n")
    }

    @Test func runNowAndRescheduleMoveAScheduledJob() async throws {
        let fixture = try await ToolFixture()
        let moved = await docket("--journal", fixture.path, "jobs", "reschedule", "2", "--at", "2030-01-01T00:00:00Z")
        #expect(moved.code == 0, "\(moved.errors)")
        #expect(moved.lines == ["reschedule: job 2, due 2030-01-01T00:00:00Z"])
        #expect(try await job(2, in: fixture).runAt == Date(timeIntervalSince1970: 1_893_456_000))

        let before = Date()
        let now = await docket("--journal", fixture.path, "jobs", "run-now", "2", "--json")
        #expect(now.code == 0, "\(now.errors)")
        let runAt = try await job(2, in: fixture).runAt
        #expect(runAt >= before.addingTimeInterval(-1) && runAt <= Date())

        let bad = await docket("--journal", fixture.path, "jobs", "reschedule", "2", "--at", "next tuesday")
        #expect(bad.code == 2)
        #expect(bad.errors.contains("not an ISO 8601 instant"))
        let both = await docket("--journal", fixture.path, "jobs", "reschedule", "2", "--at", "2030-01-01T00:00:00Z", "--in", "5")
        #expect(both.code == 2)
        let finished = await docket("--journal", fixture.path, "jobs", "run-now", "3")
        #expect(finished.code == 1)
        #expect(finished.errors.contains("job 3 is completed"))
    }

    @Test func schedulesListAndShow() async throws {
        let fixture = try await ToolFixture()
        let list = await docket("--journal", fixture.path, "schedules", "list")
        #expect(list.code == 0, "\(list.errors)")
        #expect(list.lines == [
            "NAME     RULE       ZONE           STATUS  NEXT FIRING           LAST FIRING  FIRED  MISSED  SKIPPED",
            "nightly  0 2 * * *  Europe/London  active  2026-03-03T02:00:00Z  -            0      0       0",
        ])
        let json = try #require(try await docket("--journal", fixture.path, "schedules", "list", "--json").json() as? [String: Any])
        let schedule = try #require((json["schedules"] as? [[String: Any]])?.first)
        #expect(schedule["name"] as? String == "nightly" && schedule["ruleKind"] as? String == "cron")
        #expect(schedule["timeZone"] as? String == "Europe/London" && schedule["origin"] as? String == "declared")
        #expect(schedule["nextFiring"] as? String == "2026-03-03T02:00:00Z")

        let show = await docket("--journal", fixture.path, "schedules", "show", "nightly", "--upcoming", "2")
        #expect(show.code == 0, "\(show.errors)")
        #expect(show.lines.contains(#"rule:        cron "0 2 * * *" in Europe/London"#))
        #expect(show.lines.contains("origin:      declared in code"))
        #expect(show.lines.suffix(3).first == "upcoming:")
        #expect(show.lines.suffix(2).allSatisfy { $0.hasPrefix("  20") && $0.hasSuffix(":00:00Z") })
        let missing = await docket("--journal", fixture.path, "schedules", "show", "weekly")
        #expect(missing.code == 1)
        #expect(missing.errors == "docket: no schedule named weekly in the journal\n")
    }

    @Test func pauseResumeAndTriggerASchedule() async throws {
        let fixture = try await ToolFixture()
        let paused = await docket("--journal", fixture.path, "schedules", "pause", "nightly", "--note", "migrating the warehouse")
        #expect(paused.code == 0, "\(paused.errors)")
        #expect(paused.lines == ["paused nightly"])
        let shown = try #require(try await docket("--journal", fixture.path, "schedules", "show", "nightly", "--json").json() as? [String: Any])
        #expect(shown["paused"] as? Bool == true && shown["pauseNote"] as? String == "migrating the warehouse")
        #expect(await docket("--journal", fixture.path, "stats").lines.contains("schedules: active 0, paused 1, removed 0"))

        let resumed = await docket("--journal", fixture.path, "schedules", "resume", "nightly", "--json")
        #expect(resumed.code == 0, "\(resumed.errors)")
        #expect((try resumed.json() as? [String: Any])?["paused"] as? Bool == false)

        let triggered = await docket("--journal", fixture.path, "schedules", "trigger", "nightly")
        #expect(triggered.code == 0, "\(triggered.errors)")
        #expect(triggered.lines == ["triggered nightly: job 5"])
        let job = try await job(5, in: fixture)
        #expect(job.name == "report" && job.schedule?.scheduleName == "nightly")

        let unknown = await docket("--journal", fixture.path, "schedules", "pause", "weekly")
        #expect(unknown.code == 1)
        #expect(unknown.errors.hasPrefix("docket: "))
    }

    private func job(_ id: Int64, in fixture: borrowing ToolFixture) async throws -> Job {
        let scheduler = try JobScheduler(path: fixture.path)
        let job = try await scheduler.job(JobID(id))
        await scheduler.close()
        return try #require(job)
    }

    private func state(of id: Int64, in fixture: borrowing ToolFixture) async throws -> JobState {
        try await job(id, in: fixture).state
    }
}

/// `docket prune`: what a scheduler's retention would delete, counted or deleted.
@Suite struct PruneCommandTests {
    @Test func aDryRunCountsAndThePruneDeletesEndedJobsPastTheirKeep() async throws {
        let fixture = try await ToolFixture()
        // The fixture's jobs ended on 2026-03-02: long past a day, so every ended job but the newest
        // (kept so that no id is given twice) is due.
        let dry = await docket("--journal", fixture.path, "prune", "--dry-run")
        #expect(dry.code == 0, "\(dry.errors)")
        #expect(dry.lines == ["would delete 2 jobs: 2 completed, 0 cancelled, 0 discarded"])
        let kept = await docket("--journal", fixture.path, "prune", "--keep-completed", "forever", "--json")
        let report = try #require(try kept.json() as? [String: Any])
        #expect(report["total"] as? Int == 0 && report["dryRun"] as? Bool == false)

        let done = await docket("--journal", fixture.path, "prune")
        #expect(done.lines == ["deleted 2 jobs: 2 completed, 0 cancelled, 0 discarded"])
        let stats = await docket("--journal", fixture.path, "stats")
        #expect(stats.lines[1] == "jobs:      scheduled 1, running 0, completed 0, discarded 0, cancelled 1 (total 2)")
        let bad = await docket("--journal", fixture.path, "prune", "--keep-discarded", "a while")
        #expect(bad.code == 2)
        #expect(bad.errors.contains("--keep-discarded a while"))
    }
}

/// Actions on every job a filter matches.
@Suite struct BulkActionCommandTests {
    @Test func aFilteredCancelCountsInADryRunThenCancelsOnlyTheMatches() async throws {
        let fixture = try await ToolFixture()
        // Two more scheduled jobs: one `report` in the default queue, one `mail`.
        let scheduler = try JobScheduler(path: fixture.path)
        let report = try await scheduler.schedule(name: "report", .after(.seconds(7200))).id
        let mail = try await scheduler.schedule(name: "mail", .after(.seconds(7200))).id
        await scheduler.close()

        let dry = await docket("--journal", fixture.path, "jobs", "cancel", "--name", "report", "--dry-run")
        #expect(dry.code == 0, "\(dry.errors)")
        #expect(dry.lines == ["would cancel 2 jobs: 2, \(report.rawValue)"])
        let done = await docket("--journal", fixture.path, "jobs", "cancel", "--name", "report", "--json")
        let json = try #require(try done.json() as? [String: Any])
        #expect(json["jobs"] as? [Int] == [2, Int(report.rawValue)])
        #expect((json["refused"] as? [Any])?.isEmpty == true)
        let stats = await docket("--journal", fixture.path, "stats")
        #expect(stats.lines[1] == "jobs:      scheduled 1, running 0, completed 2, discarded 0, cancelled 3 (total 6)")

        // Retry takes cancelled (and discarded) jobs: the queue filter picks the one in `reports`.
        let retried = await docket("--journal", fixture.path, "jobs", "retry", "--queue", "reports")
        #expect(retried.lines == ["retry: 1 job: 2"])
        #expect(await docket("--journal", fixture.path, "jobs", "show", "\(mail.rawValue)").lines.contains("state:       scheduled"))
    }

    /// The listing's filters pick the jobs of an action too, read by the journal.
    @Test func anActionTakesTheListingsFilters() async throws {
        let fixture = try await ToolFixture()
        let late = await docket("--journal", fixture.path, "jobs", "cancel", "--run-after", "2026-03-02T09:30:00Z", "--dry-run")
        #expect(late.lines == ["would cancel 1 job: 2"])
        let early = await docket(
            "--journal", fixture.path, "jobs", "cancel", "--run-before", "2026-03-02T09:30:00Z", "--dry-run", "--json")
        #expect(try #require(try early.json() as? [String: Any])["jobs"] as? [Int] == [])
        let retried = await docket("--journal", fixture.path, "jobs", "retry", "--name", "mail", "--finished-before", "2026-03-02T09:00:01Z")
        #expect(retried.lines == ["retry: 1 job: 4"])
        let inverted = await docket(
            "--journal", fixture.path, "jobs", "cancel", "--run-after", "2026-03-02T10:00:00Z", "--run-before", "2026-03-02T09:00:00Z")
        #expect(inverted.code == 2 && inverted.errors.contains("is earlier than --run-after"))
    }

    @Test func anActionWithoutIdOrFilterIsAUsageError() async throws {
        let fixture = try await ToolFixture()
        let bare = await docket("--journal", fixture.path, "jobs", "cancel")
        #expect(bare.code == 2)
        #expect(bare.errors.contains("--all"))
        let both = await docket("--journal", fixture.path, "jobs", "cancel", "2", "--name", "report")
        #expect(both.code == 2)
        let wrongState = await docket("--journal", fixture.path, "jobs", "retry", "--state", "completed")
        #expect(wrongState.code == 2)
        #expect(wrongState.errors.contains("retry acts on discarded and cancelled jobs, not completed ones"))
        let all = await docket("--journal", fixture.path, "jobs", "run-now", "--all", "--dry-run")
        #expect(all.lines == ["would run-now 1 job: 2"])
    }
}
