import Docket
import DocketDashboard
import DocketTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A journal with a known history on a manual clock at 2026-03-02T09:00:00Z, and a dashboard of it:
/// job 1 `mail` completed, job 2 `report` scheduled an hour ahead in queue `reports`, job 3 `fragile`
/// discarded with an error that looks like markup, job 4 `mail` cancelled, schedule `nightly`.
final class DashboardFixture: Sendable {
    static let start = Date(timeIntervalSince1970: 1_772_442_000)
    static let hostileError = "<img src=x onerror=alert(1)> & \"quotes\""

    let directory: URL
    let scheduler: JobScheduler
    let clock: ManualClock

    var path: String { directory.appendingPathComponent("web.docket").path }

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-web-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        clock = ManualClock(wallTime: Self.start)
        scheduler = try JobScheduler(
            path: directory.appendingPathComponent("web.docket").path, configuration: .testing(clock: clock))
        try scheduler.register("mail") { _ in }
        try scheduler.register("report") { _ in }
        try scheduler.register("fragile", options: HandlerOptions(maxAttempts: 1)) { _ in throw HostileError() }
        _ = try await scheduler.schedule(name: "mail", payload: Array(#"{"to":"ada@example.com"}"#.utf8))
        _ = try await scheduler.schedule(name: "report", .after(.seconds(3600)), options: JobOptions(queue: "reports"))
        _ = try await scheduler.schedule(name: "fragile")
        let cancelled = try await scheduler.schedule(name: "mail", .after(.seconds(60)))
        try await scheduler.cancel(cancelled.id)
        _ = try await scheduler.drainDueJobs()
        try scheduler.declareSchedules([Schedule("nightly", .cron("0 2 * * *", timeZone: "Europe/London"), jobName: "report")])
        try await scheduler.reconcileDeclaredSchedulesNow()
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func dashboard(_ configuration: DashboardConfiguration = DashboardConfiguration()) -> DocketDashboard {
        DocketDashboard(scheduler: scheduler, configuration: configuration)
    }

    /// Runs `body` with an in-process client of a dashboard's routes.
    func withClient<Value: Sendable>(
        _ configuration: DashboardConfiguration = DashboardConfiguration(),
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let application = Application(router: dashboard(configuration).router())
        return try await application.test(.router) { client in try await body(client) }
    }

    func close() async {
        await scheduler.close()
    }
}

struct HostileError: Error, CustomStringConvertible {
    var description: String { DashboardFixture.hostileError }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    /// POSTs `fields` as a form.
    func post(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var all = headers
        all[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await execute(uri: uri, method: .post, headers: all, body: ByteBuffer(string: body))
    }

    /// The CSRF token a page's forms carry, as a browser would find it.
    func csrfToken(headers: HTTPFields = [:]) async throws -> String {
        let page = try await get("/jobs/2", headers: headers).text
        guard let range = page.range(of: #"name="csrf" value=""#) else { throw FixtureError.noForm }
        return String(page[range.upperBound...].prefix(while: { $0 != "\"" }))
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

enum FixtureError: Error {
    case noForm
}
