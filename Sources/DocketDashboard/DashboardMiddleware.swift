import HTTPTypes
import Hummingbird

/// What every request of the dashboard goes through: the access check (the token, or a loopback
/// host without one), the security headers of every answer, and the error page for every failure.
struct DashboardMiddleware<Context: RequestContext>: RouterMiddleware {
    let dashboard: DocketDashboard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            try dashboard.checkAccess(request)
            response = try await next(request, context)
        } catch {
            let failure = DashboardFailure(error)
            if failure.status == .internalServerError {
                context.logger.error("docket dashboard: \(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            }
            response = dashboard.errorPage(failure)
        }
        DashboardMiddleware.secure(&response)
        return response
    }

    /// Headers that keep the pages from being framed, sniffed, cached or made to load scripts from
    /// anywhere but the dashboard itself.
    static func secure(_ response: inout Response) {
        response.headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    }
}

extension DocketDashboard {
    /// The name of the cookie the sign-in form sets.
    static let tokenCookie = "docket_token"

    /// Throws 401 (with the sign-in page) without the configured token, and 403 for a request
    /// addressed to a name that is not loopback when there is no token. The stylesheet, the script
    /// and the sign-in form itself are open: the sign-in page needs them.
    func checkAccess(_ request: Request) throws {
        let path = request.uri.path
        if path == link("/assets/dashboard.css") || path == link("/assets/dashboard.js") { return }
        guard let token = configuration.token else {
            if let host = Self.hostName(request.head.authority), !DashboardConfiguration.isLoopback(host) {
                throw DashboardFailure(
                    status: .forbidden, title: "Loopback only",
                    message: "This dashboard has no token, so it answers only at 127.0.0.1, localhost or [::1]. Start it with --token to reach it by another name.")
            }
            return
        }
        if request.method == .post, path == link("/login") { return }
        let given = Self.bearer(request.headers[.authorization]) ?? request.headers[HTTPField.Name("X-Docket-Token")!]
            ?? request.cookies[Self.tokenCookie]?.value
        guard let given, Self.constantTimeEqual(given, token) else {
            throw DashboardFailure(status: .unauthorized, title: "Sign in", message: given == nil ? "" : "That token is not this dashboard's.")
        }
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingWhitespace()
    }

    /// The host part of an authority (`name:port`, `[v6]:port`).
    static func hostName(_ authority: String?) -> String? {
        guard let authority, !authority.isEmpty else { return nil }
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[...end])
        }
        return authority.split(separator: ":", maxSplits: 1).first.map(String.init)
    }

    /// Whether `a` and `b` are equal, in a time that depends on their lengths only.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
