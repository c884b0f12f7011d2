/// A monotonic clock as time elapsed since an anchor (the run loop's start, or the timeout monitor's),
/// and sleeping until a given elapsed time: the run loop and the timeout monitor read it this way.
///
/// The wall clock says what is due; this clock says when to look again. Wall-clock steps (NTP, a
/// user changing the time) do not move it, so a wake-up computed from it is never hours late
/// because the wall clock stepped.
struct LoopClock: Sendable {
    /// Time on the clock since the anchor.
    let elapsed: @Sendable () -> Duration
    /// Sleeps until the given time after the anchor.
    let sleepUntil: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let anchor = clock.now
        elapsed = { anchor.duration(to: clock.now) }
        sleepUntil = { try await clock.sleep(until: anchor.advanced(by: $0), tolerance: nil) }
    }
}
