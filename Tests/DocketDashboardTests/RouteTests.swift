import Docket
import DocketDashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard's routes in-process: status codes, what the pages say, and that nothing a job or a
/// request carries comes out as markup.
@Suite struct RouteTests {
    @Test func everyPageAnswersWithHTMLAndTheSecurityHeaders() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            for uri in ["/", "/jobs", "/jobs/1", "/jobs/new", "/schedules", "/queues", "/jobs?state=discarded&queue=default"] {
                let response = try await client.get(uri)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(uri)")
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.text.contains("<main id=\"live\">"), "\(uri)")
            }
            let script = try await client.get("/assets/dashboard.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
        }
        await fixture.close()
    }

    @Test func theOverviewCountsStatesQueuesAndTheLastHour() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let page = try await client.get("/").text
            #expect(page.contains(#"data-state="completed"><span class="number">1</span>"#))
            #expect(page.contains(#"data-state="discarded"><span class="number">1</span>"#))
            #expect(page.contains(#"data-state="scheduled"><span class="number">1</span>"#))
            #expect(page.contains(#"data-queue="reports""#))
            #expect(page.contains("1 completed, 1 discarded, 1 cancelled in the last hour"))
            #expect(page.contains("Lateness of the last 2 ends"))
            #expect(page.contains("No job is due and waiting."))
        }
        fixture.clock.advance(by: .seconds(3700))
        try await fixture.withClient { client in
            let page = try await client.get("/").text
            #expect(page.contains("0 completed, 0 discarded, 0 cancelled in the last hour"))
            #expect(page.contains("The oldest due job, <a href=\"/jobs/2\">report #2</a>, has waited 100.0 s."))
        }
        await fixture.close()
    }

    @Test func whatJobsAndRequestsCarryIsEscaped() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let job = try await client.get("/jobs/3").text
            #expect(!job.contains("<img src=x"))
            #expect(job.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"))
            let listing = try await client.get("/jobs?text=%3Cscript%3Ealert(1)%3C/script%3E&name=%22%3E%3Cb%3E").text
            #expect(!listing.contains("<script>alert"))
            #expect(listing.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
            #expect(listing.contains("value=\"&quot;&gt;&lt;b&gt;\""))
            let refused = try await client.get("/jobs?state=%3Cb%3Ebold")
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("“&lt;b&gt;bold” is none of them"))
        }
        await fixture.close()
    }

    @Test func aJobPageShowsAttemptsAndThePayloadOnlyOnRequest() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let page = try await client.get("/jobs/1").text
            #expect(page.contains("id=\"job-state\">completed<"))
            #expect(page.contains("<td>completed</td>"))
            #expect(!page.contains("ada@example.com"))
            let withPayload = try await client.get("/jobs/1?payload=1").text
            #expect(withPayload.contains("{&quot;to&quot;:&quot;ada@example.com&quot;}"))
        }
        await fixture.close()
    }

    @Test func badRequestsGetClearPagesWithTheirStatus() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/jobs/999", .notFound, "There is no job 999 in the journal."),
                ("/jobs/abc", .badRequest, "A job id is a positive whole number"),
                ("/nowhere", .notFound, "There is no page at this address."),
                ("/jobs?state=done", .badRequest, "The state filter takes scheduled, running, completed, discarded, cancelled"),
                ("/jobs?after=garbage", .badRequest, "is not a listing position"),
                ("/jobs?state=scheduled&after=completed:3", .badRequest, "which this query does not list"),
                ("/jobs?text=%ZZ", .badRequest, "The address&#39;s query is broken"),
            ]
            for (uri, status, text) in cases {
                let response = try await client.get(uri)
                #expect(response.status == status, "\(uri)")
                #expect(response.text.contains(text), "\(uri): \(response.text)")
            }
        }
        await fixture.close()
    }

    @Test func aTokenIsNeededInAHeaderOrTheCookieAndNeverEchoed() async throws {
        let fixture = try await DashboardFixture()
        let token = "s3cret-token-0123456789"
        try await fixture.withClient(DashboardConfiguration(token: token)) { client in
            let refused = try await client.get("/")
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("action=\"/login\""))
            let wrong = try await client.get("/", headers: [.authorization: "Bearer not-the-token-at-all"])
            #expect(wrong.status == .unauthorized)
            #expect(!wrong.text.contains("not-the-token-at-all") && !wrong.text.contains(token))
            #expect(try await client.get("/", headers: [.authorization: "Bearer \(token)"]).status == .ok)
            #expect(try await client.get("/jobs", headers: [HTTPField.Name("X-Docket-Token")!: token]).status == .ok)
            #expect(try await client.get("/queues", headers: [.cookie: "docket_token=\(token)"]).status == .ok)
            #expect(try await client.get("/assets/dashboard.css").status == .ok)

            let badSignIn = try await client.post("/login", [("token", "guess-guess-guess")])
            #expect(badSignIn.status == .unauthorized)
            let signIn = try await client.post("/login", [("token", token)])
            #expect(signIn.status == .seeOther)
            let cookie = signIn.headers[.setCookie] ?? ""
            #expect(cookie.contains("docket_token=\(token)") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        }
        await fixture.close()
    }

    @Test func everyActionNeedsThePagesCSRFToken() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let missing = try await client.post("/jobs/2/cancel", [])
            #expect(missing.status == .forbidden)
            let wrong = try await client.post("/jobs/2/cancel", [("csrf", "0123456789abcdef0123456789abcdef")])
            #expect(wrong.status == .forbidden)
            #expect(wrong.text.contains("CSRF"))
            let csrf = try await client.csrfToken()
            let crossSite = try await client.post(
                "/jobs/2/cancel", [("csrf", csrf)], headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            #expect(try await fixture.scheduler.job(JobID(2))?.state == .scheduled)
            let done = try await client.post("/jobs/2/cancel", [("csrf", csrf)])
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/jobs/2?done=cancel")
            #expect(try await fixture.scheduler.job(JobID(2))?.state == .cancelled)
            #expect(try await client.get("/jobs/2?done=cancel").text.contains("Job cancelled."))
        }
        await fixture.close()
    }

    /// A declared and paused queue shows its limit and its pause note, escaped; a queue that is only
    /// a label shows none.
    @Test func theQueuesPageShowsLimitsAndPause() async throws {
        let fixture = try await DashboardFixture()
        var configuration = SchedulerConfiguration.testing(clock: fixture.clock)
        configuration.queues = [JobQueue("reports", maxConcurrentJobs: 2)]
        let other = try JobScheduler(path: fixture.path, configuration: configuration)
        _ = try await other.pauseQueue("reports", note: DashboardFixture.hostileError)
        await other.close()
        try await fixture.withClient { client in
            let page = try await client.get("/queues").text
            #expect(page.contains("<td class=\"num\">2</td>"), "\(page)")
            #expect(page.contains("yes: &lt;img src=x onerror=alert(1)&gt;"), "\(page)")
            #expect(!page.contains("<img src=x"))
        }
        await fixture.close()
    }

    @Test func readOnlyHidesAndRefusesEveryAction() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient(DashboardConfiguration(isReadOnly: true)) { client in
            for uri in ["/", "/jobs", "/jobs/2", "/jobs/3", "/schedules", "/queues"] {
                let page = try await client.get(uri).text
                #expect(!page.contains("method=\"post\""), "\(uri)")
                #expect(!page.contains("name=\"csrf\""), "\(uri)")
            }
            #expect(try await client.get("/jobs/new").status == .forbidden)
            for (uri, fields) in [("/jobs/2/cancel", [(String, String)]()), ("/jobs/3/retry", []), ("/jobs", [("name", "mail")]),
                                  ("/schedules/nightly/pause", []), ("/queues/reports/pause", [])] {
                #expect(try await client.post(uri, fields).status == .forbidden, "\(uri)")
            }
        }
        #expect(try await fixture.scheduler.job(JobID(2))?.state == .scheduled)
        #expect(try await fixture.scheduler.schedule(named: "nightly")?.isPaused == false)
        #expect(try await fixture.scheduler.queues().first { $0.name == "reports" }?.isPaused == false)
        await fixture.close()
    }

    @Test func oversizedAndNonFormBodiesAreRefused() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient(DashboardConfiguration(maxBodyBytes: 1_024)) { client in
            let csrf = try await client.csrfToken()
            let large = try await client.post("/jobs", [("csrf", csrf), ("name", "mail"), ("payload", String(repeating: "x", count: 4_000))])
            #expect(large.status == .contentTooLarge)
            #expect(large.text.contains("larger than this dashboard accepts"))
            let json = try await client.execute(
                uri: "/jobs/2/cancel", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}"))
            #expect(json.status == .unsupportedMediaType)
        }
        await fixture.close()
    }
}
