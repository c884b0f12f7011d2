import Docket
import DocketTesting
import Synchronization

struct Note: JobPayload {
    static let jobName = "note"
    var text: String
}

/// Collects values from handlers, which run on other tasks.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Locked<[Value]>([])

    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    var all: [Value] { values.withLock { $0 } }
}

/// A gate a handler waits on until the test opens it; it ignores cancellation when asked to.
final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func open() {
        continuation.finish()
    }

    /// Waits until opened, whatever cancellation says.
    func wait() async {
        for await _ in stream {}
    }
}

extension SchedulerTestHarness {
    /// Schedules a note job by text and returns its id.
    func note(_ text: String, _ timing: JobTiming = .now, options: JobOptions = JobOptions()) async throws -> JobID {
        try await scheduler.schedule(Note(text: text), timing, options: options).id
    }
}
