extension Clock where Duration == Swift.Duration {
    /// Reads the clock now and returns a function that sleeps until that reading plus a delay.
    ///
    /// Anchoring the deadline when the decision is made, not when the sleeping task gets to run,
    /// keeps a wake-up from slipping later when time moves in between, which a manual clock in a
    /// test does at any moment. Read the anchor before the wall clock: the deadline can then only
    /// come early, and an early wake-up just re-checks.
    func anchoredSleeper() -> @Sendable (Swift.Duration) async throws -> Void {
        let anchor = now
        return { delay in try await self.sleep(until: anchor.advanced(by: delay), tolerance: nil) }
    }
}
