/// A source of wall-clock time.
///
/// Run-at times are wall-clock instants; the scheduler reads this clock to decide what is due and
/// waits on a monotonic clock. Tests inject a manual one to move time by hand.
public protocol WallClock: Sendable {
    /// The current wall-clock instant.
    func now() -> Timestamp
}
