import Docket
import DocketTesting
import Synchronization

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
