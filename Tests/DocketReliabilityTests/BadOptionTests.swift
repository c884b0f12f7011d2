import Docket
import DocketTesting
import Testing

/// Job options and payloads at and past their limits. CommandTests covers max attempts 0, priority
/// -1, an empty unique key, a zero timeout, a raw payload one byte over the limit, and a duplicate key
/// of a scheduled job; HandlerControlTests a payload that is not JSON.
@Suite(.timeLimit(.minutes(1)))
struct BadOptionTests {
    /// Max attempts outside 1...10,000 (job or handler), priority outside 0...9, bad queue/timeout/key: `invalidInput` naming the field and the value.
    @Test func attemptsAndPrioritiesOutsideTheirRangesAreRefused() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let longKey = String(repeating: "k", count: 1025)
        let refused: [(JobOptions, DocketError.InvalidInput.Field, String, String)] = [
            (JobOptions(maxAttempts: -1), .maxAttempts, "-1", "max attempts is -1; it must be between 1 and 10000"),
            (JobOptions(maxAttempts: 10_001), .maxAttempts, "10001", "max attempts is 10001; it must be between 1 and 10000"),
            (JobOptions(maxAttempts: .min), .maxAttempts, "\(Int.min)", "it must be between 1 and 10000"),
            (JobOptions(priority: 10), .priority, "10", "priority 10 is outside 0...9"),
            (JobOptions(priority: .max), .priority, "\(Int.max)", "is outside 0...9"),
            (JobOptions(queue: ""), .queue, "", "the queue name must be 1 to 255 bytes"),
            (JobOptions(timeout: .seconds(-1)), .timeout, "\(Duration.seconds(-1))", "is not positive"),
            (JobOptions(uniqueKey: longKey), .uniqueKey, longKey, "the unique key must be 1 to 1024 bytes; it is 1025"),
        ]
        for (options, field, value, words) in refused {
            let error = await #expect(throws: DocketError.self, "\(options)") {
                try await scheduler.schedule(Note(text: "x"), options: options)
            }
            let input = error?.invalidInput
            #expect(input?.field == field, "\(options): \(String(describing: error))")
            #expect(input?.value == value, "\(options): \(String(describing: error))")
            #expect(input?.reason.contains(words) == true, "\(options): \(String(describing: error))")
        }
        let handlerRefused: [(HandlerOptions, DocketError.InvalidInput.Field)] = [
            (HandlerOptions(maxAttempts: 0), .maxAttempts), (HandlerOptions(maxAttempts: -3), .maxAttempts),
            (HandlerOptions(timeout: .zero), .timeout),
        ]
        for (options, field) in handlerRefused {
            let error = #expect(throws: DocketError.self, "\(options)") {
                try scheduler.register(Note.self, options: options) { _, _ in }
            }
            #expect(error?.invalidInput?.field == field, "\(options): \(String(describing: error))")
        }
        #expect(!scheduler.hasHandler(for: Note.jobName))
        let edges = [JobOptions(priority: 9, maxAttempts: 10_000), JobOptions(uniqueKey: String(repeating: "k", count: 1024))]
        for options in edges { try await scheduler.schedule(Note(text: "edge"), options: options) }
        #expect(try await scheduler.counts() == JobCounts(scheduled: edges.count))
    }

    /// A payload over the limit gets `.storage` of kind `.payloadTooLarge(size:limit:)`, and its whole batch is refused.
    @Test func anOversizedTypedPayloadFailsItsWholeBatch() async throws {
        let harness = try SchedulerTestHarness { $0.maxPayloadBytes = 64 }
        let big = Note(text: String(repeating: "b", count: 64))
        let error = await docketError {
            try await harness.scheduler.schedule([JobRequest(Note(text: "small")), JobRequest(big), JobRequest(Note(text: "also small"))])
        }
        guard case .storage(let failure)? = error, case .payloadTooLarge(let size, 64) = failure.kind else {
            Issue.record("expected payloadTooLarge, got \(String(describing: error))")
            return
        }
        #expect(size > 64)
        #expect(error?.description.contains("over the journal's limit of 64 bytes; nothing was inserted") == true)
        #expect(try await harness.scheduler.counts().total == 0)
    }

    /// A payload its handler cannot decode is discarded at once with the decoding error naming the field; never retried.
    @Test func aPayloadOfTheWrongShapeIsDiscardedAtOnceNotRetried() async throws {
        let harness = try SchedulerTestHarness()
        let ran = Recorder<String>()
        try harness.scheduler.register(Note.self, options: HandlerOptions(retry: .strategy(.fixed(.seconds(1))))) { note, _ in
            ran.append(note.text)
        }
        let id = try await harness.scheduler.schedule(
            name: Note.jobName, payload: Array(#"{"text": 42}"#.utf8), options: JobOptions(maxAttempts: 5)).id
        harness.start()
        let discarded = await harness.next(.discarded, of: id)
        #expect(discarded?.attempt == 1)
        #expect(discarded?.error?.hasPrefix("payload could not be decoded: the payload of 'note' could not be decoded") == true)
        #expect(discarded?.error?.contains("text") == true, "\(String(describing: discarded?.error))")
        #expect(!harness.seen.contains { $0.jobID == id && $0.kind == .retryScheduled })
        let info = try #require(try await harness.scheduler.job(id))
        #expect(info.state == .discarded && info.attempts.count == 1)
        #expect(ran.all.isEmpty)
        try await harness.stop()
    }

    /// A duplicate unique key returns the holder's id while it is scheduled or running; once the holder ends the key is free.
    @Test func aUniqueKeyIsHeldWhileScheduledOrRunningAndFreedAfter() async throws {
        let harness = try SchedulerTestHarness()
        let gate = Gate()
        try harness.scheduler.register(Note.self) { _, _ in await gate.wait() }
        let key = JobOptions(uniqueKey: "invoice-42")
        let holder = try await harness.scheduler.schedule(Note(text: "first"), options: key)
        harness.start()
        _ = await harness.next(.started, of: holder.id)
        let whileRunning = try await harness.scheduler.schedule(Note(text: "second"), .after(.seconds(5)), options: key)
        #expect(whileRunning.isDuplicate && whileRunning.id == holder.id)
        gate.open()
        _ = await harness.next(.succeeded, of: holder.id)
        let afterwards = try await harness.scheduler.schedule(Note(text: "third"), .after(.seconds(5)), options: key)
        #expect(!afterwards.isDuplicate && afterwards.id != holder.id)
        #expect(try await harness.scheduler.counts() == JobCounts(scheduled: 1, completed: 1))
        try await harness.stop()
    }
}
