import DocketCore
import Testing

@Suite struct RetryStorageTextTests {
    @Test(arguments: [
        (RetryStrategy.default, "exp:1000000,2.0,3600000000,0.1"),
        (.mergent, "ladder:0,5000000,300000000,1800000000,7200000000,18000000000,36000000000,36000000000"),
        (.fixed(.seconds(5)), "fixed:5000000"),
        (.fixed(.seconds(-5)), "fixed:-5000000"),
        (.ladder([]), "ladder:"),
        (.ladder([.milliseconds(1)]), "ladder:1000"),
        (.none, "none"),
        (.exponential(base: .microseconds(1), factor: 1e+20, cap: .zero, jitter: 1e-05), "exp:1,1e+20,0,1e-05"),
    ])
    func writesTheDocumentedForm(strategy: RetryStrategy, text: String) throws {
        #expect(strategy.storageText == text)
        #expect(try #require(RetryStrategy(storageText: text)) == strategy)
    }

    @Test(arguments: [
        RetryStrategy.default, .mergent, .none, .fixed(.zero), .fixed(.microseconds(Int64.max)),
        .fixed(.microseconds(Int64.min)), .ladder([]), .ladder([.seconds(-1), .zero, .microseconds(7)]),
        .exponential(base: .seconds(3), factor: 1.0000000000000002, cap: .seconds(7), jitter: 0.30000000000000004),
        .exponential(base: .microseconds(-1), factor: .leastNonzeroMagnitude, cap: .microseconds(Int64.max), jitter: 1),
        .exponential(base: .zero, factor: .infinity, cap: .zero, jitter: -.infinity),
        .exponential(base: .zero, factor: 0.1 + 0.2, cap: .zero, jitter: .ulpOfOne),
    ])
    func roundTripsExactly(strategy: RetryStrategy) throws {
        let restored = try #require(RetryStrategy(storageText: strategy.storageText))
        #expect(restored == strategy)
        #expect(restored.storageText == strategy.storageText)
    }

    @Test func nanFactorRoundTripsAsText() throws {
        let strategy = RetryStrategy.exponential(base: .seconds(1), factor: .nan, cap: .seconds(2), jitter: 0)
        let restored = try #require(RetryStrategy(storageText: strategy.storageText))
        #expect(restored.storageText == "exp:1000000,nan,2000000,0.0")
        guard case .exponential(_, let factor, _, _) = restored else {
            Issue.record("expected exponential, got \(restored)")
            return
        }
        #expect(factor.isNaN)
    }

    @Test func truncatesToWholeMicroseconds() {
        #expect(RetryStrategy.fixed(.nanoseconds(1_999)).storageText == "fixed:1")
    }

    @Test(arguments: [
        "", "none:", "None", "nonee", " none", "exp:", "exp:1,2.0,3", "exp:1,2.0,3,0.1,5", "exp:1, 2.0,3,0.1",
        "exp:1,+2.0,3,0.1", "exp:1,2.0,3,", "exp:1.5,2.0,3,0.1", "exp:1,two,3,0.1", "exp:1,2.0,3,0.1 ",
        "fixed:", "fixed:abc", "fixed: 5", "fixed:+5", "fixed:5,6", "fixed:99999999999999999999", "fixed:-",
        "fixed:--5", "ladder:1,,2", "ladder:,", "ladder:1,", "ladder:x", "linear:5", ":5", "exp",
        "fixed:５",
    ])
    func rejectsGarbage(text: String) {
        #expect(RetryStrategy(storageText: text) == nil)
    }
}
