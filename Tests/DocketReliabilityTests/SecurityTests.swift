import Docket
import DocketTesting
import Foundation
import Testing

/// A payload whose bytes the tests look for in the logs.
private struct Secret: JobPayload {
    static let jobName = "secret"
    var text: String
}

private struct Failure: Error, CustomStringConvertible {
    var description: String { "the handler failed (this text carries no payload)" }
}

@Suite(.timeLimit(.minutes(1)))
struct SecurityTests {
    /// The journal, its -wal and -shm, the runner's lock file, start log and the leadership file are
    /// all mode 0600 (their directory 0700) while a scheduler runs.
    @Test func everyFileBesideARunningJournalIsPrivate() async throws {
        let directory = try TemporaryDirectory("modes")
        defer { directory.remove() }
        let path = directory.file("jobs.docket")
        let scheduler = try JobScheduler(path: path)
        try scheduler.register("noop") { _ in }
        var events = scheduler.events().makeAsyncIterator()
        let id = try await scheduler.schedule(name: "noop").id
        let runner = Task { try await scheduler.run() }
        while let event = await events.next(), !(event.kind == .succeeded && event.jobID == id) {}
        let runners = path + "-runners"
        let registered = try FileManager.default.contentsOfDirectory(atPath: runners).map { runners + "/" + $0 }
        #expect(registered.count == 3, "\(registered)")
        let directoryMode = try FileManager.default.attributesOfItem(atPath: runners)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        for file in [path, path + "-wal", path + "-shm"] + registered {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? -1, radix: 8))")
        }
        runner.cancel()
        try await runner.value
        await scheduler.close()
    }

    /// Payload bytes never reach the logs, at any level, whatever happens to the jobs.
    @Test func payloadBytesNeverReachTheLogs() async throws {
        let marker = "PAYLOAD-MARKER-5f3c9a"
        let logs = LogCapture()
        let harness = try SchedulerTestHarness { $0.logger = logs.logger }
        let gate = Gate()
        let options = HandlerOptions(retry: .strategy(.fixed(.seconds(1))), maxAttempts: 2, timeout: .seconds(2))
        try harness.scheduler.register(Secret.self, options: options) { secret, context in
            switch secret.text.split(separator: " ").last {
            case "fail" where context.attempt == 1, "exhaust": throw Failure()
            case "refuse": throw JobControl.discard(reason: "refused without quoting the payload")
            case "snooze" where context.attempt == 1 && context.scheduledAt.timeIntervalSince1970 < 1_767_225_600.5:
                throw JobControl.snooze(.seconds(1))
            case "hang", "hold": await gate.wait()
            default: break
            }
        }
        var events = harness.scheduler.events().makeAsyncIterator()
        var seen: [SchedulerEvent] = []
        func wait(for wanted: [(SchedulerEvent.Kind, JobID)]) async {
            func missing() -> Bool { wanted.contains { want in !seen.contains { $0.kind == want.0 && $0.jobID == want.1 } } }
            while missing(), let event = await events.next() { seen.append(event) }
        }
        var ids: [String: JobID] = [:]
        for behaviour in ["ok", "fail", "refuse", "snooze", "hang", "exhaust"] {
            ids[behaviour] = try await harness.scheduler.schedule(Secret(text: "\(marker) \(behaviour)")).id
        }
        ids["undecodable"] = try await harness.scheduler.schedule(name: Secret.jobName, payload: Array("\(marker) {".utf8)).id
        ids["orphan"] = try await harness.scheduler.schedule(name: "no-handler", payload: Array(marker.utf8)).id
        let later = try await harness.scheduler.schedule(Secret(text: "\(marker) later"), .after(.seconds(3600))).id
        try await harness.scheduler.reschedule(later, to: .after(.seconds(7200)))
        try await harness.scheduler.cancel(later)
        harness.start()
        await wait(for: [
            (.succeeded, ids["ok"]!), (.retryScheduled, ids["fail"]!), (.discarded, ids["refuse"]!),
            (.snoozed, ids["snooze"]!), (.started, ids["hang"]!), (.retryScheduled, ids["exhaust"]!),
            (.discarded, ids["undecodable"]!), (.waitingForHandler, ids["orphan"]!),
        ])
        harness.clock.advance(by: .seconds(2))
        await wait(for: [
            (.succeeded, ids["fail"]!), (.succeeded, ids["snooze"]!), (.retryScheduled, ids["hang"]!),
            (.discarded, ids["exhaust"]!),
        ])
        let held = try await harness.scheduler.schedule(Secret(text: "\(marker) hold")).id
        await wait(for: [(.started, held)])
        try await harness.stop()
        gate.open()

        let texts = logs.records.map(\.text)
        for expected in ["succeeded", "will retry", "snoozed", "discarded", "no handler", "next start", "timed out"] {
            #expect(texts.contains { $0.contains(expected) }, "no log record mentions '\(expected)'")
        }
        let leaks = texts.filter { $0.contains(marker) }
        #expect(leaks.isEmpty, "payload bytes in the logs: \(leaks)")
    }
}
