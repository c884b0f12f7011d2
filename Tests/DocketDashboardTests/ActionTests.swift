import Docket
import DocketDashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Each action through its form, checked in the journal: the same transitions the API makes.
@Suite struct ActionTests {
    @Test func aJobCreatedByHandIsInTheJournalWithItsPayloadKeyAndTime() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            let created = try await client.post(
                "/jobs", [("csrf", csrf), ("name", "mail"), ("queue", "urgent"), ("payload", #"{"to": "bob"}"#), ("in", "90s"), ("unique", "bob-1")])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(location.hasSuffix("?done=created"))
            let id = try #require(Int64(location.dropFirst("/jobs/".count).prefix(while: \.isNumber)))
            let job = try #require(try await fixture.scheduler.job(JobID(id)))
            #expect(job.name == "mail" && job.queue == "urgent" && job.uniqueKey == "bob-1" && job.state == .scheduled)
            #expect(job.runAt == DashboardFixture.start.addingTimeInterval(90))
            #expect(try await fixture.scheduler.store.job(JobID(id))?.payload == Array(#"{"to": "bob"}"#.utf8))

            let again = try await client.post("/jobs", [("csrf", csrf), ("name", "mail"), ("unique", "bob-1")])
            #expect(again.headers[.location] == "/jobs/\(id)?done=duplicate")

            let at = try await client.post("/jobs", [("csrf", csrf), ("name", "report"), ("at", "2026-03-02T10:30")])
            let atLocation = try #require(at.headers[.location])
            let atID = try #require(Int64(atLocation.dropFirst("/jobs/".count).prefix(while: \.isNumber)))
            #expect(try await fixture.scheduler.job(JobID(atID))?.runAt == DashboardFixture.start.addingTimeInterval(5400))
        }
        await fixture.close()
    }

    @Test func aFormWithAMistakeComesBackFilledWithWhatToFix() async throws {
        let fixture = try await DashboardFixture()
        let before = try await fixture.scheduler.counts().total
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            let cases: [([(String, String)], String)] = [
                ([("name", "mail"), ("payload", "{not json")], "The payload is not JSON"),
                ([("payload", "{}")], "Give the job&#39;s name"),
                ([("name", "mail"), ("in", "soon")], "delay"),
                ([("name", "mail"), ("in", "5s"), ("at", "2026-03-02T10:30:00Z")], "not both"),
                ([("name", "mail"), ("at", "tomorrow")], "is not a date"),
            ]
            for (fields, message) in cases {
                let response = try await client.post("/jobs", [("csrf", csrf)] + fields)
                #expect(response.status == .badRequest, "\(fields)")
                #expect(response.text.contains(message), "\(fields): \(response.text)")
                #expect(response.text.contains("id=\"new-job\""))
            }
            let kept = try await client.post("/jobs", [("csrf", csrf), ("name", "mail"), ("payload", "{\"a\":</textarea>")])
            #expect(kept.text.contains("{&quot;a&quot;:&lt;/textarea&gt;</textarea>"))
        }
        #expect(try await fixture.scheduler.counts().total == before)
        await fixture.close()
    }

    @Test func retryRunNowRescheduleAndCancelAreTheAPIsTransitions() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            #expect(try await client.post("/jobs/3/retry", [("csrf", csrf)]).status == .seeOther)
            let retried = try #require(try await fixture.scheduler.job(JobID(3)))
            #expect(retried.state == .scheduled && retried.attempts.count == 1)

            #expect(try await client.post("/jobs/2/reschedule", [("csrf", csrf), ("at", "2026-03-03T00:00:00Z")]).status == .seeOther)
            #expect(try await fixture.scheduler.job(JobID(2))?.runAt == DashboardFixture.start.addingTimeInterval(15 * 3600))
            #expect(try await client.post("/jobs/2/reschedule", [("csrf", csrf)]).status == .badRequest)
            #expect(try await client.post("/jobs/2/run-now", [("csrf", csrf)]).status == .seeOther)
            #expect(try await fixture.scheduler.job(JobID(2))?.runAt == DashboardFixture.start)

            let notRetryable = try await client.post("/jobs/1/retry", [("csrf", csrf)])
            #expect(notRetryable.status == .conflict)
            #expect(notRetryable.text.contains("completed"))
            #expect(try await client.post("/jobs/1/cancel", [("csrf", csrf)]).status == .conflict)
            #expect(try await client.post("/jobs/999/cancel", [("csrf", csrf)]).status == .notFound)
            #expect(try await client.post("/jobs/2/explode", [("csrf", csrf)]).status == .notFound)
        }
        await fixture.close()
    }

    @Test func schedulesPauseWithANoteAndResume() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            let listing = try await client.get("/schedules").text
            #expect(listing.contains("data-schedule=\"nightly\" data-status=\"active\""))
            #expect(listing.contains("<code>0 2 * * *</code></td><td>Europe/London</td>"))
            #expect(listing.contains("2026-03-03T02:00:00Z"))
            let paused = try await client.post("/schedules/nightly/pause", [("csrf", csrf), ("note", "<b>deploy</b>")])
            #expect(paused.headers[.location] == "/schedules?done=pause")
            let info = try #require(try await fixture.scheduler.schedule(named: "nightly"))
            #expect(info.isPaused && info.pauseNote == "<b>deploy</b>")
            let page = try await client.get("/schedules?done=pause").text
            #expect(page.contains("data-status=\"paused\"") && page.contains("&lt;b&gt;deploy&lt;/b&gt;") && page.contains("Schedule paused."))
            #expect(try await client.post("/schedules/nightly/resume", [("csrf", csrf)]).status == .seeOther)
            #expect(try await fixture.scheduler.schedule(named: "nightly")?.isPaused == false)
            #expect(try await client.post("/schedules/nope/pause", [("csrf", csrf)]).status == .notFound)
        }
        await fixture.close()
    }

    @Test func withoutATokenOnlyLoopbackNamesAreAnswered() {
        for host in ["127.0.0.1", "localhost", "[::1]", "::1", "127.1.2.3", "app.localhost"] {
            #expect(DashboardConfiguration.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "10.0.0.1", "evil.example", "127.0.0.1.evil.example", "", "::"] {
            #expect(!DashboardConfiguration.isLoopback(host), "\(host)")
        }
    }

    @Test func listeningBeyondLoopbackNeedsAToken() throws {
        let scheduler = try JobScheduler(path: FileManager.default.temporaryDirectory.appendingPathComponent("docket-web-\(UUID()).docket").path)
        #expect(throws: DashboardSetupError.tokenRequired(host: "0.0.0.0")) {
            _ = try DocketDashboard(scheduler: scheduler).application(host: "0.0.0.0", port: 0)
        }
        _ = try DocketDashboard(scheduler: scheduler, configuration: DashboardConfiguration(token: DocketDashboard.randomToken()))
            .application(host: "0.0.0.0", port: 0)
        #expect(throws: DashboardSetupError.tokenUnusable) {
            _ = try DocketDashboard(scheduler: scheduler, configuration: DashboardConfiguration(token: "has; a semicolon, too long enough"))
                .application(host: "127.0.0.1", port: 0)
        }
        #expect(DashboardConfiguration.isUsableToken(DocketDashboard.randomToken()))
    }
}
