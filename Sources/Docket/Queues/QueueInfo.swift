import DocketCore
import Foundation

/// A queue as the journal knows it: its limits while declared, its pause, and its jobs.
public struct QueueInfo: Sendable, Hashable {
    /// The queue's name.
    public var name: String
    /// Whether the latest declaration (``SchedulerConfiguration/queues`` of the scheduler that ran
    /// the journal last) names it. A queue no longer declared keeps its pause but has no limits.
    public var isDeclared: Bool
    /// Its concurrency limit while declared.
    public var maxConcurrentJobs: Int?
    /// Its rate limit while declared, if it has one.
    public var rateLimit: JobQueue.RateLimit?
    /// Whether it is paused: its jobs are accepted and kept, none starts until it is resumed.
    public var isPaused: Bool
    /// The note given with the pause.
    public var pauseNote: String?
    /// When the pause began.
    public var pausedAt: Date?
    /// Its jobs running now.
    public var running: Int
    /// Its jobs scheduled, due or not.
    public var scheduled: Int

    init(_ record: QueueRecord) {
        name = record.name
        isDeclared = record.limits != nil
        maxConcurrentJobs = record.limits?.maxRunning
        rateLimit = record.limits?.rate.map { JobQueue.RateLimit(starts: $0.starts, per: $0.period) }
        isPaused = record.isPaused
        pauseNote = record.pauseNote
        pausedAt = record.pausedAt?.date
        running = record.running
        scheduled = record.scheduled
    }
}
