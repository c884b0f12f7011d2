import DocketCore
import Testing

@Suite struct RetryStrategyTests {
    static func delays(_ strategy: RetryStrategy, _ attempts: [Int], seed: UInt64 = 1) -> [Duration?] {
        var generator = SplitMix64(seed: seed)
        return attempts.map { strategy.delay(afterAttempt: $0, using: &generator) }
    }

    @Test func splitMix64MatchesTheReferenceImplementation() {
        // Vigna's splitmix64.c, seeded with 1234567.
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in generator.next() } == expected)
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 16_294_208_416_658_607_535)
    }

    @Test func fixedWaitsTheSameEveryTime() {
        #expect(Self.delays(.fixed(.seconds(5)), [1, 2, 100, .max]) == Array(repeating: .seconds(5), count: 4))
        #expect(Self.delays(.fixed(.seconds(-5)), [1]) == [.zero])
    }

    @Test func ladderRepeatsItsLastStep() {
        let ladder = RetryStrategy.ladder([.seconds(1), .seconds(2), .seconds(3)])
        #expect(Self.delays(ladder, [1, 2, 3, 4, 1_000, .max]) == [1, 2, 3, 3, 3, 3].map { .seconds($0) })
        #expect(Self.delays(.ladder([]), [1, 5]) == [nil, nil])
        #expect(Self.delays(.ladder([.seconds(-1)]), [1]) == [.zero])
    }

    @Test func attemptsBelowOneCountAsTheFirst() {
        let ladder = RetryStrategy.ladder([.seconds(1), .seconds(2)])
        #expect(Self.delays(ladder, [0, -5, .min]) == [.seconds(1), .seconds(1), .seconds(1)])
        let exponential = RetryStrategy.exponential(base: .seconds(1), factor: 2, cap: .seconds(60), jitter: 0)
        #expect(Self.delays(exponential, [0, .min]) == [.seconds(1), .seconds(1)])
    }

    @Test func mergentLadderMatchesMergent() {
        let expected: [Duration] = [
            .zero, .seconds(5), .seconds(300), .seconds(1_800), .seconds(7_200), .seconds(18_000),
            .seconds(36_000), .seconds(36_000), .seconds(36_000), .seconds(36_000),
        ]
        #expect(Self.delays(.mergent, Array(1...10)) == expected)
    }

    @Test func noneNeverRetries() {
        #expect(Self.delays(.none, [1, 2, .max]) == [nil, nil, nil])
    }

    @Test func exponentialWithoutJitterDoublesUpToTheCap() {
        let strategy = RetryStrategy.exponential(base: .seconds(1), factor: 2, cap: .seconds(3_600), jitter: 0)
        let expected = (0..<12).map { Duration.seconds(1 << $0) } + [.seconds(3_600), .seconds(3_600)]
        #expect(Self.delays(strategy, Array(1...14)) == expected)
        #expect(Self.delays(strategy, [10_000, .max]) == [.seconds(3_600), .seconds(3_600)])
    }

    @Test func exponentialKeepsWholeMicroseconds() {
        let strategy = RetryStrategy.exponential(base: .milliseconds(100), factor: 1.5, cap: .seconds(10), jitter: 0)
        #expect(Self.delays(strategy, [1, 2, 3, 4]) == [100_000, 150_000, 225_000, 337_500].map { .microseconds($0) })
    }

    @Test(arguments: [
        // (base, factor, cap, attempt, expected)
        (Duration.seconds(1), 1e300, Duration.seconds(60), 10_000, Duration.seconds(60)),
        (.seconds(1), .infinity, .seconds(60), 1, .seconds(1)),
        (.seconds(1), .infinity, .seconds(60), 2, .seconds(60)),
        (.seconds(1), .nan, .seconds(60), 50, .seconds(1)),
        (.seconds(1), -3, .seconds(60), 1, .seconds(1)),
        (.seconds(1), -3, .seconds(60), 2, .zero),
        (.seconds(1), 0.5, .seconds(60), 3, .milliseconds(250)),
        (.seconds(1), 0.5, .seconds(60), 10_000, .zero),
        (.seconds(-1), 2, .seconds(60), 3, .zero),
        (.seconds(1), 2, .seconds(-60), 3, .zero),
        (.seconds(10), 2, .seconds(5), 1, .seconds(5)),
        (.seconds(Int64.max), 2, .seconds(60), 2, .seconds(60)),
        (.seconds(1), 2, .seconds(Int64.max), 100, .microseconds(Int64.max)),
        (.seconds(1), 2, .seconds(Int64.max), .max, .microseconds(Int64.max)),
    ])
    func exponentialSurvivesExtremeArguments(
        base: Duration, factor: Double, cap: Duration, attempt: Int, expected: Duration
    ) {
        let strategy = RetryStrategy.exponential(base: base, factor: factor, cap: cap, jitter: 0)
        #expect(Self.delays(strategy, [attempt]) == [expected])
    }

    @Test func defaultIsOneSecondDoublingToAnHourWithTenPercentJitter() {
        #expect(RetryStrategy.default == .exponential(base: .seconds(1), factor: 2, cap: .seconds(3_600), jitter: 0.1))
    }

    @Test(arguments: 0..<20)
    func jitterOnlyShortensTheNominalDelay(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        for attempt in 1...20 {
            let nominal = Swift.min(Int64(1_000_000) << Swift.min(attempt - 1, 40), 3_600_000_000)
            let delay = try #require(RetryStrategy.default.delay(afterAttempt: attempt, using: &generator))
            #expect(delay.microseconds <= nominal)
            #expect(delay.microseconds >= nominal - nominal / 10 - 1)
        }
    }

    @Test func jitterSpreadsDelaysEvenAtTheCap() {
        let atCap = (0..<64).map { seed in Self.delays(.default, [30], seed: UInt64(seed))[0]! }
        #expect(atCap.allSatisfy { $0 <= .seconds(3_600) && $0 >= .seconds(3_240) })
        #expect(Set(atCap).count > 60, "subtractive jitter must not pile retries up at the cap")
    }

    @Test func fullJitterCoversZeroToNominal() {
        let full = RetryStrategy.exponential(base: .seconds(8), factor: 1, cap: .seconds(8), jitter: 1)
        let delays = (0..<200).map { Self.delays(full, [1], seed: UInt64($0))[0]! }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .seconds(8) })
        #expect(delays.contains { $0 < .seconds(1) } && delays.contains { $0 > .seconds(7) })
    }

    @Test(arguments: [2.0, 1e9, .infinity])
    func jitterAboveOneIsFullJitter(jitter: Double) {
        let strategy = RetryStrategy.exponential(base: .seconds(8), factor: 1, cap: .seconds(8), jitter: jitter)
        let delays = (0..<100).map { Self.delays(strategy, [1], seed: UInt64($0))[0]! }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .seconds(8) })
    }

    @Test(arguments: [0.0, -0.5, -.infinity, .nan])
    func jitterAtOrBelowZeroOrNaNIsExact(jitter: Double) {
        let strategy = RetryStrategy.exponential(base: .seconds(1), factor: 2, cap: .seconds(60), jitter: jitter)
        #expect(Self.delays(strategy, [1, 2, 3]) == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func sameSeedSameDelaysOtherSeedOtherDelays() {
        let attempts = Array(1...15)
        #expect(Self.delays(.default, attempts, seed: 42) == Self.delays(.default, attempts, seed: 42))
        #expect(Self.delays(.default, attempts, seed: 42) != Self.delays(.default, attempts, seed: 43))
    }

    @Test(arguments: [RetryStrategy.fixed(.seconds(1)), .ladder([.seconds(1)]), .none,
                      .exponential(base: .seconds(1), factor: 2, cap: .seconds(9), jitter: 0)])
    func jitterFreeStrategiesLeaveTheGeneratorAlone(strategy: RetryStrategy) {
        var used = SplitMix64(seed: 9)
        var fresh = SplitMix64(seed: 9)
        _ = strategy.delay(afterAttempt: 3, using: &used)
        #expect(used.next() == fresh.next())
    }
}
