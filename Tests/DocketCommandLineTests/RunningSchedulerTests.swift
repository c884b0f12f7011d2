import Docket
import DocketCommandLine
import DocketTesting
import Foundation
import Testing

/// The tool acting on a journal while a scheduler runs on it: the scheduler sees the change as it
/// sees any other process's, and the job runs once.
@Suite(.timeLimit(.minutes(1))) struct RunningSchedulerTests {
    @Test func aRetryByTheToolRunsTheJobOnceOnTheRunningScheduler() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tool-run-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.docket").path

        // A job discarded before: its only attempt failed.
        let before = try JobScheduler(path: path)
        try before.register("sync", options: HandlerOptions(maxAttempts: 1)) { _ in throw SyncFailure() }
        let id = try await before.schedule(name: "sync").id
        _ = try await before.drainDueJobs()
        #expect(try await before.job(id)?.state == .discarded)
        await before.close()

        let scheduler = try JobScheduler(path: path)
        let runs = Recorder<Int>()
        try scheduler.register("sync") { context in runs.append(context.attempt) }
        let events = scheduler.events(of: [.succeeded])
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()

        let retry = await docket("--journal", path, "jobs", "retry", "\(id)")
        #expect(retry.code == 0, "\(retry.errors)")
        #expect(retry.lines == ["retry: job \(id)"] || retry.lines.first?.hasPrefix("retry: job \(id), due ") == true, "\(retry.output)")
        var succeeded: SchedulerEvent?
        for await event in events where event.jobID == id {
            succeeded = event
            break
        }
        #expect(succeeded != nil)
        #expect(runs.all == [2])
        let stats = await docket("--journal", path, "stats", "--json")
        let jobs = try #require((try stats.json() as? [String: Any])?["jobs"] as? [String: Int])
        #expect(jobs["completed"] == 1 && jobs["discarded"] == 0)
        runner.cancel()
        _ = await runner.result
        await scheduler.close()
    }

    @Test func aCancelByTheToolStopsTheRunningHandler() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tool-cancel-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.docket").path

        let scheduler = try JobScheduler(path: path)
        let sawCancellation = Gate()
        try scheduler.register("export") { _ in
            await withTaskCancellationHandler {
                await sawCancellation.wait()
            } onCancel: {
                sawCancellation.open()
            }
        }
        let started = scheduler.events(of: [.started])
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()
        let id = try await scheduler.schedule(name: "export").id
        for await event in started where event.jobID == id { break }

        let cancel = await docket("--journal", path, "jobs", "cancel", "\(id)")
        #expect(cancel.code == 0, "\(cancel.errors)")
        #expect(cancel.lines == ["cancel: job \(id)"], "\(cancel.output)")
        await sawCancellation.wait()
        let show = await docket("--journal", path, "jobs", "show", "\(id)", "--json")
        let job = try #require(try show.json() as? [String: Any])
        #expect(job["state"] as? String == "cancelled")
        let attempts = try #require(job["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["outcome"] as? String } == ["cancelled"])
        runner.cancel()
        _ = await runner.result
        await scheduler.close()
    }
}

private struct SyncFailure: Error {}
