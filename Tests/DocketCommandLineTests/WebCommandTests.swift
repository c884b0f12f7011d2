import DocketCommandLine
import Foundation
import Testing

/// `docket web`'s command line: what it refuses before it listens. Serving is tested in
/// DocketDashboardTests, through the same application.
@Suite struct WebCommandTests {
    @Test func badOptionsAreUsageErrors() async throws {
        let fixture = try await ToolFixture()
        let cases: [([String], String)] = [
            (["--token", "short"], "--token takes 16 to 256 characters"),
            (["--token", "has spaces in it, sixteen+"], "--token takes 16 to 256 characters"),
            (["--port", "70000"], "--port must be between 0 and 65535"),
        ]
        for (options, message) in cases {
            let run = await docket(["web", "--journal", fixture.path] + options)
            #expect(run.code == 2, "\(options)")
            #expect(run.errors.contains(message), "\(options): \(run.errors)")
        }
        let missing = await docket("web", "--journal", fixture.path + ".absent")
        #expect(missing.code == 1)
        #expect(missing.errors.contains("no journal at"))
    }
}
