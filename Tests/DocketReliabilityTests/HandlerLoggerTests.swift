import Docket
import DocketTesting
import Logging
import Testing

@Suite struct HandlerLoggerTests {
    /// A handler's `context.logger` carries the job's id, name, attempt and queue, on every attempt.
    @Test func theHandlersLoggerCarriesTheJobsMetadata() async throws {
        let logs = LogCapture()
        let harness = try SchedulerTestHarness { $0.logger = logs.logger }
        let options = HandlerOptions(retry: .strategy(.fixed(.seconds(1))), maxAttempts: 2)
        try harness.scheduler.register("tell", options: options) { context in
            context.logger.info("handler speaking")
            if context.attempt == 1 { throw Failure() }
        }
        let id = try await harness.scheduler.schedule(name: "tell").id
        harness.start()
        _ = await harness.next(.retryScheduled, of: id)
        harness.clock.advance(by: .seconds(1))
        _ = await harness.next(.succeeded, of: id)
        try await harness.stop()
        let spoken = logs.records.filter { $0.message == "handler speaking" }.map(\.text)
        #expect(spoken.count == 2)
        for (index, text) in spoken.enumerated() {
            #expect(text.contains("job.id=\(id)"), "\(text)")
            #expect(text.contains("job.name=tell"), "\(text)")
            #expect(text.contains("job.attempt=\(index + 1)"), "\(text)")
            #expect(text.contains("job.queue=\(JobDefaults.queue)"), "\(text)")
        }
    }

    struct Failure: Error {}
}
