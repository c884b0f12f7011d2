extension RetryStrategy {
    /// The wait before the next attempt, after attempt `attempt` (1-based: the attempt that just failed)
    /// failed; nil when the strategy never retries.
    ///
    /// Attempts below 1 count as 1. Only ``exponential(base:factor:cap:jitter:)`` with a positive
    /// jitter and a positive delay draws from `generator` (one value per call), so jitter-free
    /// strategies leave a shared generator's stream untouched.
    ///
    /// - Returns: a delay in whole microseconds, never negative; nil for ``none`` and an empty ladder.
    /// - Complexity: O(log `attempt`) for the exponential case, O(1) otherwise.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration? {
        let attempt = Swift.max(1, attempt)
        switch self {
        case .none:
            return nil
        case .fixed(let delay):
            return .microseconds(Self.nonNegativeMicroseconds(delay))
        case .ladder(let steps):
            guard let last = steps.last else { return nil }
            let step = attempt <= steps.count ? steps[attempt - 1] : last
            return .microseconds(Self.nonNegativeMicroseconds(step))
        case .exponential(let base, let factor, let cap, let jitter):
            let micros = Self.exponentialMicroseconds(
                attempt: attempt, base: base, factor: factor, cap: cap, jitter: jitter, using: &generator)
            return .microseconds(micros)
        }
    }

    private static func exponentialMicroseconds(
        attempt: Int, base: Duration, factor: Double, cap: Duration, jitter: Double,
        using generator: inout some RandomNumberGenerator
    ) -> Int64 {
        let baseMicros = nonNegativeMicroseconds(base)
        let capMicros = nonNegativeMicroseconds(cap)
        guard baseMicros > 0, capMicros > 0 else { return 0 }
        // Doubles make huge exponents harmless: growth ends at +infinity, which the cap then absorbs,
        // where integer arithmetic would need an overflow check on every step.
        let growth = power(sanitizedFactor(factor), attempt - 1)
        let nominal = Swift.min(Double(baseMicros) * growth, Double(capMicros))
        let spread = jitter.isNaN ? 0 : Swift.min(1, Swift.max(0, jitter))
        var delay = nominal
        if spread > 0, nominal > 0 {
            delay = nominal * (1 - spread * Double.random(in: 0..<1, using: &generator))
        }
        return Swift.min(capMicros, saturatingMicroseconds(delay))
    }

    /// NaN counts as 1 (no growth) and negatives as 0, so the power below is never negative or NaN.
    private static func sanitizedFactor(_ factor: Double) -> Double {
        if factor.isNaN { return 1 }
        return Swift.max(0, factor)
    }

    /// `value` raised to `exponent` by repeated squaring: DocketCore has no libm, and squaring keeps
    /// attempt 10 000 at fourteen multiplications.
    static func power(_ value: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var square = value
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result *= square }
            remaining >>= 1
            if remaining > 0 { square *= square }
            // Infinity and zero are fixed points; stopping there also rules out 0 × ∞ = NaN later.
            if result.isInfinite || result == 0 { break }
        }
        return result
    }

    /// Whole microseconds of `duration`, negatives counting as zero.
    static func nonNegativeMicroseconds(_ duration: Duration) -> Int64 {
        Swift.max(0, duration.microseconds)
    }

    /// Rounds toward zero into `0...Int64.max`; `Int64(_:)` would trap on infinity, NaN and 2⁶³.
    private static func saturatingMicroseconds(_ value: Double) -> Int64 {
        guard value > 0 else { return 0 }
        guard value < 0x1p63 else { return .max }
        return Int64(value)
    }
}
