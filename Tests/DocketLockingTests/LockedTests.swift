import DocketLocking
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct LockedTests {
    /// Many tasks enter the lock at once; none ever finds another inside, and no increment is lost.
    @Test func excludesEveryOtherHolderUnderContention() async {
        struct State {
            var inside = false
            var overlaps = 0
            var count = 0
            var scratch: [Int] = []
        }
        let tasks = 8
        // Enough rounds that every task is still running when the others start.
        let rounds = 20_000
        let locked = Locked(State())
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for round in 0..<rounds {
                        locked.withLock { state in
                            if state.inside { state.overlaps += 1 }
                            state.inside = true
                            // A read-modify-write spread over several steps, which two holders at once
                            // would interleave.
                            let before = state.count
                            for step in 0..<32 { state.scratch.append(task &+ round &+ step) }
                            state.scratch.removeAll(keepingCapacity: true)
                            state.count = before + 1
                            state.inside = false
                        }
                    }
                }
            }
        }
        let (overlaps, count) = locked.withLock { ($0.overlaps, $0.count) }
        #expect(overlaps == 0)
        #expect(count == tasks * rounds)
    }

    /// What `withLock` writes is what the next `withLock` reads, through copies of the same `Locked`,
    /// and its result comes back to the caller.
    @Test func roundTripsTheValueThroughCopies() {
        let locked = Locked([1, 2])
        let copy = locked
        let countAfterAppend = copy.withLock { values in
            values.append(3)
            return values.count
        }
        #expect(countAfterAppend == 3)
        #expect(locked.withLock { $0 } == [1, 2, 3])
    }

    /// A throwing body propagates its error, keeps what it wrote before throwing and releases the lock.
    @Test func aThrowingBodyReleasesTheLock() {
        struct Refused: Error {}
        let locked = Locked(0)
        #expect(throws: Refused.self) {
            try locked.withLock { value in
                value = 7
                throw Refused()
            }
        }
        #expect(locked.withLock { $0 } == 7)
    }

    /// The value is released with the last copy of its lock.
    @Test func releasesTheValueWithTheLock() {
        final class Tracked {}
        weak var tracked: Tracked?
        do {
            let value = Tracked()
            tracked = value
            let locked = Locked(value)
            locked.withLock { _ in }
        }
        #expect(tracked == nil)
    }

    /// A thread waiting for a value is not let in before the value is ready, and is let in once it is.
    @Test func aWaiterRunsOnlyOnceTheValueIsReady() async {
        enum Event { case foundNotReady, ran(sawReady: Bool) }
        let ready = Locked(false)
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        Thread {
            let sawReady = ready.withLock(waitingUntil: { isReady in
                if !isReady { continuation.yield(.foundNotReady) }
                return isReady
            }) { $0 }
            continuation.yield(.ran(sawReady: sawReady))
            continuation.finish()
        }.start()
        var results: [Bool] = []
        for await event in events {
            switch event {
            case .foundNotReady:
                // The waiter holds the lock while it reports; this waits until it sleeps on the condition.
                ready.withLock { $0 = true }
                ready.wakeWaiters()
            case .ran(let sawReady):
                results.append(sawReady)
            }
        }
        #expect(results == [true])
    }
}
