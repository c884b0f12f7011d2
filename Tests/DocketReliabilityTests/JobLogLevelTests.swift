import Docket
import DocketTesting
import Logging
import Testing

/// The level and metadata of the scheduler's record of each attempt's end.
@Suite(.timeLimit(.minutes(1)))
struct JobLogLevelTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "the handler failed on purpose" }
    }

    /// A success is routine (`.debug`), a failure that will be retried is a `.warning`, a discard an
    /// `.error`; each carries the job's id, name, attempt and queue, failures their error, and none the
    /// payload.
    @Test func attemptEndsAreLoggedAtTheirLevelsWithTheJobsMetadata() async throws {
        let marker = "PAYLOAD-BYTES-91d0e2"
        let logs = LogCapture()
        let harness = try SchedulerTestHarness { $0.logger = logs.logger }
        let options = HandlerOptions(retry: .strategy(.fixed(.seconds(1))), maxAttempts: 3)
        try harness.scheduler.register("levels", options: options) { context in
            switch String(decoding: context.payload, as: UTF8.self).split(separator: " ").last {
            case "fail": throw Failure()
            case "discard": throw JobControl.discard(reason: "refused on purpose")
            default: break
            }
        }
        var ids: [String: JobID] = [:]
        for outcome in ["succeed", "fail", "discard"] {
            ids[outcome] = try await harness.scheduler.schedule(
                name: "levels", payload: Array("\(marker) \(outcome)".utf8), options: JobOptions(queue: "mail")
            ).id
        }
        harness.start()
        let succeeded = await logs.record(containing: "docket job succeeded")
        let failed = await logs.record(containing: "docket job failed")
        let discarded = await logs.record(containing: "docket job discarded")
        try await harness.stop()

        #expect(succeeded.level == .debug)
        #expect(failed.level == .warning)
        #expect(discarded.level == .error)
        for (record, outcome) in [(succeeded, "succeed"), (failed, "fail"), (discarded, "discard")] {
            #expect(record.text.contains("job.id=\(ids[outcome]!)"), "\(record.text)")
            #expect(record.text.contains("job.name=levels"), "\(record.text)")
            #expect(record.text.contains("job.attempt=1"), "\(record.text)")
            #expect(record.text.contains("job.queue=mail"), "\(record.text)")
        }
        #expect(failed.text.contains("error=the handler failed on purpose"), "\(failed.text)")
        #expect(discarded.text.contains("refused on purpose"), "\(discarded.text)")
        #expect(!logs.records.isEmpty)
        for record in logs.records {
            #expect(!record.text.contains(marker), "\(record.text)")
        }
    }
}
