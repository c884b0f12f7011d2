import DocketCore
import Testing

@Suite struct JobLifecycleTests {
    @Test func claimCountsAnAttempt() throws {
        let next = try JobLifecycle.apply(.claim, to: JobSnapshot(state: .scheduled, attempt: 0, maxAttempts: 3)).get()
        #expect(next == JobSnapshot(state: .running, attempt: 1, maxAttempts: 3))
    }
}
