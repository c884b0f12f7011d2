import Docket
import DocketTesting
import Foundation
import InMemoryTracing
import Testing
import Tracing

/// `DocketTracing`, with an `InMemoryTracer` of each test's own instead of the global one.
@Suite(.timeLimit(.minutes(1)))
struct TracingTests {
    private struct MailerDown: Error {}

    private static func harness(_ tracer: InMemoryTracer) throws -> SchedulerTestHarness {
        try SchedulerTestHarness { $0.middleware = [DocketTracing(tracer: tracer)] }
    }

    @Test func anAttemptRunsInAConsumerSpanLinkedToTheTraceThatScheduledIt() async throws {
        let tracer = InMemoryTracer()
        let harness = try Self.harness(tracer)
        let seenByHandler = Recorder<String>()
        try harness.scheduler.register(Note.self) { _, _ in
            seenByHandler.append(InstrumentationContext.current?.inMemorySpanContext?.spanID ?? "none")
        }
        let scheduling = tracer.startSpan("signup request")
        let id = try await InstrumentationContext.$current.withValue(scheduling.context) {
            try await harness.note("hi", options: JobOptions(queue: "mail"))
        }
        scheduling.end()

        _ = try await harness.scheduler.drainDueJobs()
        let attempt = try #require(tracer.finishedSpans.first { $0.operationName == "process note" })
        #expect(attempt.kind == .consumer)
        #expect(attempt.traceID != scheduling.traceID)
        #expect(attempt.links.count == 1)
        #expect(attempt.links.first?.context.inMemorySpanContext?.traceID == scheduling.traceID)
        #expect(attempt.links.first?.context.inMemorySpanContext?.spanID == scheduling.spanID)
        #expect(attempt.attributes["messaging.system"]?.toSpanAttribute() == "docket")
        #expect(attempt.attributes["messaging.operation.type"]?.toSpanAttribute() == "process")
        #expect(attempt.attributes["messaging.destination.name"]?.toSpanAttribute() == "mail")
        #expect(attempt.attributes["messaging.message.id"]?.toSpanAttribute() == "\(id)".toSpanAttribute())
        #expect(attempt.attributes["docket.job.name"]?.toSpanAttribute() == "note")
        #expect(attempt.attributes["docket.job.attempt"]?.toSpanAttribute() == 1)
        #expect(attempt.errors.isEmpty && attempt.status == nil)
        // The handler's own spans would be children of the attempt's.
        #expect(seenByHandler.all == [attempt.spanID])
    }

    @Test func aFailedAttemptRecordsItsErrorAndEveryRetryLinksToTheSameTrace() async throws {
        let tracer = InMemoryTracer()
        let harness = try Self.harness(tracer)
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(1))))) { _, context in
            if context.attempt == 1 { throw MailerDown() }
        }
        let scheduling = tracer.startSpan("signup request")
        _ = try await InstrumentationContext.$current.withValue(scheduling.context) {
            try await harness.note("x", options: JobOptions(maxAttempts: 2))
        }
        scheduling.end()

        _ = try await harness.scheduler.drainDueJobs(includingScheduled: true, recursively: true)
        let attempts = tracer.finishedSpans.filter { $0.operationName == "process note" }
        #expect(attempts.map { $0.attributes["docket.job.attempt"]?.toSpanAttribute() } == [1, 2])
        #expect(attempts.first?.errors.count == 1 && attempts.first?.status?.code == .error)
        #expect(attempts.last?.errors.isEmpty == true)
        #expect(attempts.allSatisfy { $0.links.first?.context.inMemorySpanContext?.traceID == scheduling.traceID })
    }

    @Test func aJobScheduledOutsideAnyTraceRunsInASpanWithoutLinks() async throws {
        let tracer = InMemoryTracer()
        let harness = try Self.harness(tracer)
        try harness.scheduler.register(Note.self) { _, _ in }
        _ = try await harness.note("plain")

        _ = try await harness.scheduler.drainDueJobs()
        let attempt = try #require(tracer.finishedSpans.first)
        #expect(attempt.operationName == "process note" && attempt.links.isEmpty)
    }

    /// The headers live in the journal: a scheduler that opens it later (another process, or after
    /// a restart) links the attempt to the trace that scheduled the job.
    @Test func theSchedulingTraceIsKeptInTheJournalAcrossSchedulers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-trace-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("traced.docket").path
        let tracer = InMemoryTracer()
        var configuration = SchedulerConfiguration.testing(clock: ManualClock())
        configuration.middleware = [DocketTracing(tracer: tracer)]

        let before = try JobScheduler(path: path, configuration: configuration)
        let scheduling = tracer.startSpan("signup request")
        let id = try await InstrumentationContext.$current.withValue(scheduling.context) {
            try await before.schedule(Note(text: "later")).id
        }
        scheduling.end()
        await before.close()

        let after = try JobScheduler(path: path, configuration: configuration)
        let headers = Recorder<[String: String]>()
        try after.register(Note.self) { _, context in headers.append(context.traceHeaders) }
        _ = try await after.drainDueJobs()
        await after.close()
        let attempt = try #require(tracer.finishedSpans.first { $0.operationName == "process note" })
        #expect(attempt.attributes["messaging.message.id"]?.toSpanAttribute() == "\(id)".toSpanAttribute())
        #expect(attempt.links.first?.context.inMemorySpanContext?.traceID == scheduling.traceID)
        #expect(attempt.links.first?.context.inMemorySpanContext?.spanID == scheduling.spanID)
        #expect(headers.all.count == 1 && headers.all.first?.isEmpty == false)
    }
}
