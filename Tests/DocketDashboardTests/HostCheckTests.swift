import Docket
@testable import DocketDashboard
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// Without a token, a request addressed to a name that is not loopback is refused: a page of
/// another site that points its own DNS name at 127.0.0.1 cannot read the pages or their CSRF
/// token. The in-process test client always says `localhost`, so these requests are built here.
@Suite struct HostCheckTests {
    @Test func aForeignHostNameIsRefusedWithoutAToken() async throws {
        let fixture = try await DashboardFixture()
        let dashboard = fixture.dashboard()
        func request(_ authority: String) -> Request {
            Request(
                head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/"),
                body: RequestBody(buffer: ByteBuffer()))
        }
        #expect(throws: Never.self) { try dashboard.checkAccess(request("127.0.0.1:8080")) }
        #expect(throws: Never.self) { try dashboard.checkAccess(request("localhost:8080")) }
        #expect(throws: Never.self) { try dashboard.checkAccess(request("[::1]:8080")) }
        #expect { try dashboard.checkAccess(request("rebound.example:8080")) } throws: { error in
            (error as? DashboardFailure)?.status == .forbidden
        }
        let withToken = fixture.dashboard(DashboardConfiguration(token: "0123456789abcdef"))
        #expect { try withToken.checkAccess(request("rebound.example:8080")) } throws: { error in
            (error as? DashboardFailure)?.status == .unauthorized
        }
        await fixture.close()
    }
}
