/// How long a failed job waits before its next attempt.
///
/// A strategy only answers "how long after attempt *n* failed"; whether there is a next attempt at
/// all is ``RetryPolicy``'s call, which also weighs the job's attempt limit.
///
/// Every case tolerates odd arguments instead of trapping, because per-job overrides arrive from
/// journals and user input: negative durations count as zero, and the exponential case guards its
/// factor and jitter (see ``exponential(base:factor:cap:jitter:)``). Delays have microsecond
/// resolution, the journal's.
///
/// Strategies are values that can be stored: a job's own strategy is kept in
/// the journal with the job and survives restarts.
public enum RetryStrategy: Sendable, Hashable {
    /// Waits `base × factor^(n−1)` after attempt *n*, at most `cap`, shortened by a random jitter.
    ///
    /// Jitter is *subtractive*: the delay is drawn uniformly from `[(1 − jitter) × d, d]`, where `d`
    /// is the capped nominal delay. The nominal delay is therefore a true upper bound, the cap holds
    /// without clamping, and jobs that hit the cap together still spread out instead of piling up at
    /// exactly `cap`. A `jitter` of 0 is deterministic, 0.5 is the "equal jitter" and 1 the "full
    /// jitter" of the AWS backoff study.
    ///
    /// Out-of-range arguments are repaired, never trapped on: a negative `base` or `cap` counts as
    /// zero; a NaN `factor` counts as 1 and a negative one as 0 (a factor below 1 shrinks delays,
    /// which is allowed); `jitter` is clamped into `0...1`, NaN counting as 0. Growth saturates at
    /// `cap`, so attempt 10 000 with factor 1e300 is fine.
    case exponential(base: Duration, factor: Double, cap: Duration, jitter: Double)

    /// Waits the same time after every attempt.
    case fixed(Duration)

    /// Waits `steps[n−1]` after attempt *n*; beyond the last step, the last step repeats.
    ///
    /// An empty ladder never retries, like ``none``: it names no delay to wait.
    case ladder([Duration])

    /// Never retries: the first failure discards the job.
    case none

    /// Docket's default: 1 s doubling per attempt up to one hour, with 10 % jitter.
    ///
    /// Nominal waits are 1 s, 2 s, 4 s … 2 048 s after attempt 12, then 1 h; with the default 20
    /// attempts a job keeps trying for about eight hours. Doubling reacts quickly to brief
    /// failures, the one-hour cap keeps a job from vanishing for days, and 10 % jitter desynchronises
    /// jobs that failed together without making the schedule hard to predict.
    public static let `default`: RetryStrategy = .exponential(
        base: .seconds(1), factor: 2, cap: .seconds(3600), jitter: 0.1)

    /// Mergent's fixed schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.
    ///
    /// For jobs migrated from Mergent that should keep their retry timing.
    public static let mergent: RetryStrategy = .ladder([
        .zero, .seconds(5), .seconds(5 * 60), .seconds(30 * 60), .seconds(2 * 3600), .seconds(5 * 3600),
        .seconds(10 * 3600), .seconds(10 * 3600),
    ])

    /// Mergent's short ladder for scheduled work: immediately, then after 5 s. With
    /// `maxAttempts: 3` a failing firing is tried three times within seconds and then discarded, so
    /// that it does not linger into the next firing.
    ///
    /// ```swift
    /// Schedule("sync", .cron("*/5 * * * *"), job: Sync(),
    ///          options: JobOptions(maxAttempts: 3, retry: .mergentSchedule))
    /// ```
    public static let mergentSchedule: RetryStrategy = .ladder([.zero, .seconds(5)])
}
