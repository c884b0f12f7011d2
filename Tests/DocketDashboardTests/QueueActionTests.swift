import Docket
import DocketDashboard
import DocketTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Pause and resume of queues through the queues page's forms: the transitions of
/// ``JobScheduler/pauseQueue(_:note:)`` and ``JobScheduler/resumeQueue(_:)``, checked in the journal
/// and in a scheduler running it elsewhere.
@Suite(.timeLimit(.minutes(1))) struct QueueActionTests {
    @Test func aQueuePausesWithAnEscapedNoteAndResumes() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            let listing = try await client.get("/queues").text
            // `reports` is only a label: its job makes it known, and it can be paused.
            #expect(listing.contains("data-queue=\"reports\" data-status=\"active\""), "\(listing)")
            #expect(listing.contains("action=\"/queues/reports/pause\""))
            let paused = try await client.post("/queues/reports/pause", [("csrf", csrf), ("note", DashboardFixture.hostileError)])
            #expect(paused.status == .seeOther)
            #expect(paused.headers[.location] == "/queues?done=queue-pause")
            let info = try #require(try await fixture.scheduler.queues().first { $0.name == "reports" })
            #expect(info.isPaused && info.pauseNote == DashboardFixture.hostileError)
            let page = try await client.get("/queues?done=queue-pause").text
            #expect(page.contains("data-queue=\"reports\" data-status=\"paused\""))
            #expect(page.contains("yes: &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"), "\(page)")
            #expect(!page.contains("<img src=x"))
            #expect(page.contains("Queue paused"))
            #expect(page.contains("action=\"/queues/reports/resume\""))
            let resumed = try await client.post("/queues/reports/resume", [("csrf", csrf)])
            #expect(resumed.status == .seeOther && resumed.headers[.location] == "/queues?done=queue-resume")
            #expect(try await fixture.scheduler.queues().first { $0.name == "reports" }?.isPaused == false)
        }
        await fixture.close()
    }

    @Test func anUnknownQueueOrActionIsAClear404() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            let unknown = try await client.post("/queues/nowhere/pause", [("csrf", csrf)])
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("nowhere"), "\(unknown.text)")
            #expect(try await client.post("/queues/nowhere/resume", [("csrf", csrf)]).status == .notFound)
            let action = try await client.post("/queues/reports/drain", [("csrf", csrf)])
            #expect(action.status == .notFound && action.text.contains("pause and resume"))
        }
        #expect(try await fixture.scheduler.queues().contains { $0.name == "nowhere" } == false)
        await fixture.close()
    }

    @Test func aQueueActionNeedsThePagesCSRFTokenAndIsRefusedReadOnly() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.withClient { client in
            #expect(try await client.post("/queues/reports/pause", []).status == .forbidden)
            let wrong = try await client.post("/queues/reports/pause", [("csrf", "0123456789abcdef0123456789abcdef")])
            #expect(wrong.status == .forbidden && wrong.text.contains("CSRF"))
            let csrf = try await client.csrfToken()
            let crossSite = try await client.post(
                "/queues/reports/pause", [("csrf", csrf)], headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
        }
        try await fixture.withClient(DashboardConfiguration(isReadOnly: true)) { client in
            let page = try await client.get("/queues").text
            #expect(page.contains("data-queue=\"reports\""))
            #expect(!page.contains("/queues/reports/pause") && !page.contains("method=\"post\""))
            #expect(try await client.post("/queues/reports/pause", []).status == .forbidden)
        }
        #expect(try await fixture.scheduler.queues().first { $0.name == "reports" }?.isPaused == false)
        let other = try JobScheduler(path: fixture.path, configuration: .testing(clock: fixture.clock))
        try await other.pauseQueue("reports")
        await other.close()
        try await fixture.withClient(DashboardConfiguration(isReadOnly: true)) { client in
            let page = try await client.get("/queues").text
            #expect(!page.contains("/queues/reports/resume"))
            #expect(try await client.post("/queues/reports/resume", []).status == .forbidden)
        }
        #expect(try await fixture.scheduler.queues().first { $0.name == "reports" }?.isPaused == true)
        await fixture.close()
    }

    /// The queues page lists a declared queue that has no job, and every queue that has jobs.
    @Test func everyQueueWithJobsOrDeclaredIsListed() async throws {
        let fixture = try await DashboardFixture()
        var configuration = SchedulerConfiguration.testing(clock: fixture.clock)
        configuration.queues = [JobQueue("idle", maxConcurrentJobs: 3)]
        let other = try JobScheduler(path: fixture.path, configuration: configuration)
        try await other.pauseQueue("idle")
        await other.close()
        let queues = try await fixture.scheduler.queues()
        #expect(queues.map(\.name) == ["default", "idle", "reports"])
        #expect(queues.first { $0.name == "reports" }.map { !$0.isDeclared && $0.scheduled == 1 && $0.running == 0 } == true)
        try await fixture.withClient { client in
            let page = try await client.get("/queues").text
            for queue in ["default", "idle", "reports"] { #expect(page.contains("data-queue=\"\(queue)\""), "\(queue)") }
        }
        await fixture.close()
    }

    /// A resume from the dashboard reaches a scheduler running the journal elsewhere within its
    /// change check (``SchedulerConfiguration/changeCheckInterval``, 25 ms), not its 1 s poll.
    @Test func aPauseAndResumeFromTheDashboardReachARunningScheduler() async throws {
        let fixture = try await DashboardFixture()
        let runner = try JobScheduler(path: fixture.path, configuration: .testing(clock: fixture.clock))
        try runner.register("send") { _ in }
        let succeeded = runner.events(of: [.succeeded])
        let task = Task { try await runner.run() }
        try await runner.waitUntilRunning()
        let held = try await fixture.scheduler.schedule(name: "send", .after(.seconds(60)), options: JobOptions(queue: "outbox"))
        try await fixture.withClient { client in
            let csrf = try await client.csrfToken()
            #expect(try await client.post("/queues/outbox/pause", [("csrf", csrf)]).status == .seeOther)
            let witness = try await fixture.scheduler.schedule(name: "send", .after(.seconds(60)))
            fixture.clock.advance(by: .seconds(60))
            // Both were due for one claim: only the other queue's job ran.
            #expect(await Self.succeeds(witness.id, in: succeeded))
            #expect(try await runner.job(held.id)?.state == .scheduled)
            #expect(try await client.post("/queues/outbox/resume", [("csrf", csrf)]).status == .seeOther)
            fixture.clock.advance(by: .milliseconds(25))
            #expect(await Self.succeeds(held.id, in: succeeded))
        }
        await runner.shutdown()
        try await task.value
        await runner.close()
        await fixture.close()
    }

    /// Whether `id` succeeds; the suite's time limit turns a job that never starts into a failure.
    private static func succeeds(_ id: JobID, in stream: AsyncStream<SchedulerEvent>) async -> Bool {
        for await event in stream where event.jobID == id { return true }
        return false
    }
}
