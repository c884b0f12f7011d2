import Docket
import DocketTesting
import Synchronization
import Testing

struct Note: JobPayload {
    static let jobName = "note"
    var text: String
}

extension SchedulerTestHarness {
    /// Schedules a note job by text and returns its id.
    func note(_ text: String, _ timing: JobTiming = .now, options: JobOptions = JobOptions()) async throws -> JobID {
        try await scheduler.schedule(Note(text: text), timing, options: options).id
    }
}

/// The first event of `stream` that `matches`; nil, with a recorded issue, when none comes within
/// `seconds` of real time. The bound turns a hang into a failure; it is not a measurement (the
/// awaited events come within milliseconds). Subscribe `stream` before causing the event.
func firstEvent(
    in stream: AsyncStream<SchedulerEvent>, within seconds: Int = 30,
    sourceLocation: SourceLocation = #_sourceLocation, where matches: @escaping @Sendable (SchedulerEvent) -> Bool
) async -> SchedulerEvent? {
    await events(in: stream, count: 1, within: seconds, sourceLocation: sourceLocation, where: matches).first
}

/// The first `count` events of `stream` that `matches`, or fewer, with a recorded issue, when they
/// do not all come within `seconds` of real time (a bound against hangs, not a measurement).
func events(
    in stream: AsyncStream<SchedulerEvent>, count: Int, within seconds: Int = 30,
    sourceLocation: SourceLocation = #_sourceLocation, where matches: @escaping @Sendable (SchedulerEvent) -> Bool
) async -> [SchedulerEvent] {
    let found = await withTaskGroup(of: [SchedulerEvent]?.self) { group in
        group.addTask {
            var found: [SchedulerEvent] = []
            for await event in stream where matches(event) {
                found.append(event)
                if found.count == count { break }
            }
            return found
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first ?? []
    }
    if found.count < count {
        Issue.record("\(found.count) of \(count) awaited events came within \(seconds) s", sourceLocation: sourceLocation)
    }
    return found
}

/// Waits until `condition` holds, yielding between looks; records an issue when it does not hold
/// within `seconds` of real time (a bound against hangs, not a measurement). For state the scheduler
/// reaches asynchronously and announces with no event, such as a schedule's counts.
func eventually(
    within seconds: Int = 30, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async rethrows {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        await Task.yield()
    }
    Issue.record("the awaited condition did not hold within \(seconds) s", sourceLocation: sourceLocation)
}
