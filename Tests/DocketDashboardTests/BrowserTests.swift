import Docket
import DocketDashboard
import Foundation
import Hummingbird
import Synchronization
import Testing

/// The dashboard in a real headless Chromium, as a person uses it, against a journal a running
/// scheduler works: create a job through the form and watch it complete without a reload, retry a
/// discarded job, pause a schedule, pause and resume a queue, read a page with JavaScript off. Screenshots of each step go
/// to `.build/dashboard-screenshots/`. Without Chromium the test fails in CI (which installs it)
/// and is skipped, with its reason, elsewhere.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BrowserTests {
    @Test func aPersonCreatesWatchesRetriesAndPausesInARealBrowser() async throws {
        guard let executable = Chromium.executable() else {
            let reason = "no Chromium found (install Debian's chromium package, or set CHROMIUM to a browser binary)"
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("the browser tests need Chromium in CI: \(reason)")
                return
            }
            print("BrowserTests skipped: \(reason)")
            try Test.cancel(Comment(rawValue: reason))
        }
        let journal = try BrowserJournal()
        let browser = try Chromium(executable: executable)
        let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/dashboard-screenshots")
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)

        let endpoint = browser.endpoint
        try await journal.serving { base in
            try await Chromium.withPage(endpoint: endpoint) { page in
                // The overview, with what the running scheduler has done so far.
                try await page.open(base + "/")
                try await page.waitFor(
                    "document.querySelector('[data-state=completed] .number').textContent === '12'", what: "12 completed jobs")
                #expect(try await page.text("document.querySelector('[data-state=discarded] .number').textContent") == "1")
                #expect(try await page.text("document.getElementById('throughput').textContent").hasPrefix("12 completed, 1 discarded"))
                #expect(try await page.text("document.querySelector('h1').textContent") == "Overview")
                try await page.screenshot(to: screenshots.appendingPathComponent("overview.png"))

                // A job created through the form runs and completes; the page shows it without a reload.
                try await page.open(base + "/jobs/new")
                _ = try await page.evaluate(
                    """
                    document.getElementById('job-name').value = 'greet';
                    document.getElementById('job-payload').value = '{"who": "the browser"}';
                    document.getElementById('job-in').value = '1s';
                    document.getElementById('create-job').click(); true
                    """)
                try await page.waitFor("document.readyState === 'complete' && location.search === '?done=created'", what: "the created job's page")
                #expect(try await page.text("document.querySelector('.notice').textContent") == "Job created.")
                _ = try await page.evaluate("window.sameDocument = true")
                try await page.waitFor(
                    "document.getElementById('job-state').textContent === 'completed'", what: "the new job to complete", seconds: 30)
                #expect(try await page.evaluate("window.sameDocument === true") as? Bool == true, "updated live, not reloaded")
                #expect(try await page.text("document.querySelector('table.attempts tbody').textContent").contains("completed"))
                try await page.screenshot(to: screenshots.appendingPathComponent("job-completed.png"))

                // The discarded job, found through the listing's filter, retried: it runs again and completes.
                try await page.open(base + "/jobs")
                _ = try await page.evaluate(
                    "document.querySelector('input[name=state][value=discarded]').checked = true; document.querySelector('form.filters button').click(); true")
                try await page.waitFor("document.readyState === 'complete' && new URLSearchParams(location.search).get('state') === 'discarded'", what: "the filtered listing")
                let rows = try await page.evaluate("document.querySelectorAll('table.jobs tbody tr').length") as? Int
                #expect(rows == 1)
                _ = try await page.evaluate("document.querySelector('table.jobs tbody tr a').click(); true")
                try await page.waitFor("document.readyState === 'complete' && document.querySelector('h1').textContent.endsWith('flaky')", what: "the discarded job's page")
                #expect(try await page.text("document.getElementById('job-state').textContent") == "discarded")
                #expect(try await page.text("document.querySelector('table.attempts').textContent").contains("the printer is on fire"))
                try await page.screenshot(to: screenshots.appendingPathComponent("job-discarded.png"))
                _ = try await page.evaluate("[...document.querySelectorAll('.actions button')].find(b => b.textContent === 'Retry').click(); true")
                try await page.waitFor("document.readyState === 'complete' && location.search === '?done=retry'", what: "the retried job's page")
                try await page.waitFor(
                    "document.getElementById('job-state').textContent === 'completed'", what: "the retried job to complete", seconds: 30)
                #expect(try await page.evaluate("document.querySelectorAll('table.attempts tbody tr').length") as? Int == 2)

                // A schedule paused with a note.
                try await page.open(base + "/schedules")
                #expect(try await page.text("document.querySelector('[data-schedule=hourly]').dataset.status") == "active")
                _ = try await page.evaluate(
                    """
                    const row = document.querySelector('[data-schedule=hourly]');
                    row.querySelector('input[name=note]').value = 'maintenance';
                    row.querySelector('button').click(); true
                    """)
                try await page.waitFor("document.readyState === 'complete' && location.search === '?done=pause'", what: "the schedules page after pausing")
                #expect(try await page.text("document.querySelector('[data-schedule=hourly]').dataset.status") == "paused")
                #expect(try await page.text("document.querySelector('[data-schedule=hourly]').textContent").contains("maintenance"))
                #expect(try await page.text("document.querySelector('[data-schedule=hourly] button').textContent") == "Resume")
                try await page.screenshot(to: screenshots.appendingPathComponent("schedules-paused.png"))

                // A queue paused with a note through its form: a job added meanwhile waits; resumed, it runs.
                try await page.open(base + "/queues")
                #expect(try await page.text("document.querySelector('[data-queue=default]').dataset.status") == "active")
                _ = try await page.evaluate(
                    """
                    const queue = document.querySelector('[data-queue=default]');
                    queue.querySelector('input[name=note]').value = 'deploy <b>now</b>';
                    queue.querySelector('button').click(); true
                    """)
                try await page.waitFor("document.readyState === 'complete' && location.search === '?done=queue-pause'", what: "the queues page after pausing")
                #expect(try await page.text("document.querySelector('[data-queue=default]').dataset.status") == "paused")
                #expect(try await page.text("document.querySelector('[data-queue=default]').textContent").contains("yes: deploy <b>now</b>"))
                #expect(try await page.text("document.querySelector('[data-queue=default] button').textContent") == "Resume")
                try await page.screenshot(to: screenshots.appendingPathComponent("queues-paused.png"))
                let waiting = try await journal.runner.schedule(name: "greet")
                // The pause is in the journal before the page shows it: the running scheduler never starts the job.
                #expect(try await journal.runner.job(waiting.id)?.state == .scheduled)
                _ = try await page.evaluate("document.querySelector('[data-queue=default] button').click(); true")
                try await page.waitFor("document.readyState === 'complete' && location.search === '?done=queue-resume'", what: "the queues page after resuming")
                #expect(try await page.text("document.querySelector('[data-queue=default]').dataset.status") == "active")
                while try await journal.runner.job(waiting.id)?.state != .completed {
                    try await Task.sleep(for: .milliseconds(10))  // the test's time limit bounds this
                }

                // With JavaScript off the pages read the same.
                _ = try await page.send("Emulation.setScriptExecutionDisabled", ["value": true])
                try await page.open(base + "/jobs?state=completed")
                #expect(try await page.evaluate("document.querySelectorAll('table.jobs tbody tr').length") as? Int == 15)
                #expect(try await page.text("document.getElementById('live-status').textContent") == "")
                try await page.screenshot(to: screenshots.appendingPathComponent("jobs-without-javascript.png"))
            }
        }
        #expect(try await journal.runner.schedule(named: "hourly")?.isPaused == true)
        #expect(try await journal.runner.counts().completed == 15)
        #expect(try await journal.runner.queues().first { $0.name == "default" }?.isPaused == false)
        print("BrowserTests: screenshots in \(screenshots.path)")
        await journal.close()
    }
}

/// A journal worked by a running scheduler (the "app"), and a dashboard on it served by a second
/// scheduler of the same file, as `docket web` serves a journal another process runs: 12 `greet`
/// jobs completed, one `flaky` job discarded (it fails on its first run only), and an hourly schedule.
final class BrowserJournal: Sendable {
    let directory: URL
    let runner: JobScheduler
    let viewer: JobScheduler
    private let flakyRuns = Atomic<Int>(0)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-browser-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("app.docket").path
        runner = try JobScheduler(path: path)
        viewer = try JobScheduler(path: path)
        try runner.register("greet") { _ in }
        try runner.register("flaky", options: HandlerOptions(maxAttempts: 1)) { [self] _ in
            if flakyRuns.wrappingAdd(1, ordering: .relaxed).newValue == 1 { throw PrinterError() }
        }
        try runner.declareSchedules([Schedule("hourly", .cron("0 * * * *"), jobName: "greet")])
    }

    /// Runs the scheduler and the dashboard's server on a free port while `body` uses it.
    func serving(_ body: @Sendable (_ base: String) async throws -> Void) async throws {
        let port = AsyncStream<Int>.makeStream()
        let application = try DocketDashboard(scheduler: viewer).application(host: "127.0.0.1", port: 0) { channel in
            port.continuation.yield(channel.localAddress?.port ?? 0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.runner.run() }
            group.addTask { try await application.run() }
            try await runner.waitUntilRunning()
            for _ in 0..<12 { _ = try await runner.schedule(name: "greet") }
            _ = try await runner.schedule(name: "flaky")
            var bound = 0
            for await value in port.stream {
                bound = value
                break
            }
            while true {
                let counts = try await runner.counts()
                if counts.completed >= 12 && counts.discarded >= 1 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await body("http://127.0.0.1:\(bound)")
            group.cancelAll()
        }
    }

    func close() async {
        await viewer.close()
        await runner.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct PrinterError: Error, CustomStringConvertible {
    var description: String { "the printer is on fire" }
}

