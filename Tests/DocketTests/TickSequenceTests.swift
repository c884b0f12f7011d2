import DocketCore
import Testing

@testable import Docket

/// The tick numbers the run loop and the writer's thread take: each once, in the order sent, never
/// one to a tick that follows a tick its sender has not heard of.
@Suite struct TickSequenceTests {
    /// A tick the loop joins while one is in flight, and the writer's thread answering the first:
    /// the writer may not follow with a tick of its own, which would have taken the number the
    /// loop's tick has (its report was then lost, and the loop waited forever with a tick "in flight").
    @Test func theWritersTickCannotFollowOnceTheLoopSentAnother() {
        var sequence = TickSequence()
        #expect(sequence.forLoop(after: -1) == 0)
        #expect(sequence.forLoop(after: 0) == 1)  // the loop joins tick 0 with tick 1
        #expect(sequence.forContinuation(of: 0) == nil)  // the writer answers 0: no follower
        #expect(sequence.forContinuation(of: 1) == 2)  // the writer answers 1 and follows it
        #expect(sequence.last == 2)
    }

    /// Once the writer's thread followed a tick, the loop may not send until it has heard of that
    /// tick (from the report of the tick before it).
    @Test func theLoopWaitsToHearOfTheWritersTick() {
        var sequence = TickSequence()
        #expect(sequence.forLoop(after: -1) == 0)
        #expect(sequence.forContinuation(of: 0) == 1)
        #expect(sequence.forLoop(after: 0) == nil)
        #expect(sequence.forLoop(after: 1) == 2)
    }

    /// Any interleaving of the two senders, seeded: every number is given once, without gaps, and
    /// each sender is refused exactly when the last tick sent is not the one it knows of.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func numbersAreGivenOnceInOrderWhateverTheInterleaving(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var sequence = TickSequence()
        var given: [Int] = []
        var loopKnows = -1
        var answerable: [Int] = []
        for _ in 0..<2_000 {
            if random.next() % 2 == 0 {
                let expected = sequence.last == loopKnows
                let number = sequence.forLoop(after: loopKnows)
                #expect((number != nil) == expected)
                if let number {
                    given.append(number)
                    loopKnows = number
                    answerable.append(number)
                }
            } else if !answerable.isEmpty {
                let answered = answerable.removeFirst()
                let expected = sequence.last == answered
                let number = sequence.forContinuation(of: answered)
                #expect((number != nil) == expected)
                if let number {
                    given.append(number)
                    answerable.append(number)
                    // The loop hears of it later, from the answered tick's report.
                    loopKnows = max(loopKnows, number)
                }
            }
        }
        #expect(given == Array(0..<given.count))
        #expect(given.count > 500)
    }
}
