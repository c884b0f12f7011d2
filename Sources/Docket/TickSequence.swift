/// The sequence numbers of ticks, which two senders take: the run loop, and the journal's writer
/// thread when it sends the tick that follows the one it answered (``TickSender``).
///
/// The loop applies reports in sequence order and learns of a tick the writer sent only from the
/// report of the tick before it, so every number must be taken once, and in the order the ticks are
/// sent. Each sender therefore takes the next number only when the last tick sent is the one it
/// knows of: the writer's thread only right after the tick it answers (no tick of the loop came
/// between), the loop only when no tick of the writer's thread came after those it knows. A sender
/// refused leaves it to the other: the loop waits for the report that tells it of the writer's tick,
/// and the writer's thread leaves the ended attempts for the loop.
struct TickSequence: Sendable {
    /// The sequence of the last tick sent, by either; -1 before the first.
    private(set) var last = -1

    /// The sequence for a tick the loop sends, when the last tick it knows of is `known` (-1 for
    /// none); nil when the writer's thread has sent one since.
    mutating func forLoop(after known: Int) -> Int? {
        guard last == known else { return nil }
        last += 1
        return last
    }

    /// The sequence for the tick that follows `answered`, sent by the writer's thread; nil when a
    /// tick was sent after `answered`.
    mutating func forContinuation(of answered: Int) -> Int? {
        guard last == answered else { return nil }
        last += 1
        return last
    }
}
