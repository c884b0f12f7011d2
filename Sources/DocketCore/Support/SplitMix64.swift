/// A small, fast, seeded random number generator: Steele, Lea and Flood's SplitMix64.
///
/// Retry jitter must be reproducible in tests and simulations, which the system generator is not.
/// SplitMix64 passes BigCrush, needs eight bytes of state, and every seed (zero included) gives a
/// full-period stream of 2⁶⁴ values. It is not cryptographically secure: use it for jitter and
/// shuffling, never for tokens or keys.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let delay = RetryStrategy.default.delay(afterAttempt: 3, using: &generator)
/// ```
///
/// The output for a seed is fixed by the published algorithm, so recorded runs replay identically
/// across platforms and releases.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose output is determined by `seed` alone.
    ///
    /// Nearby seeds give unrelated streams, so consecutive integers make fine per-test seeds.
    package init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64 random bits and advances the generator.
    ///
    /// - Complexity: O(1).
    package mutating func next() -> UInt64 {
        // The golden-ratio increment walks a Weyl sequence; the two multiply-xorshift rounds (Stafford's
        // "Mix13") turn its regular steps into well-mixed bits.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
