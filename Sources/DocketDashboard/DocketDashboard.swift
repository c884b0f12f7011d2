import Docket
import DocketCore
import Hummingbird
import Logging
import NIOCore

/// A web dashboard for a journal: pages that show its jobs, schedules and queues, and forms that act
/// on them through the scheduler's own API (create, retry, cancel, run now, reschedule, pause and
/// resume schedules).
///
/// The pages are server-rendered HTML that read without JavaScript; with JavaScript on, a page
/// fetches itself again every ``DashboardConfiguration/refreshInterval`` and replaces its content,
/// so it stays current without a reload. Every action is a POST that carries the dashboard's CSRF
/// token; everything a job or a request carries is HTML-escaped.
///
/// Mount it in a Hummingbird router of your own, with the path given as the configuration's
/// ``DashboardConfiguration/mountPath``:
///
/// ```swift
/// let dashboard = DocketDashboard(scheduler: scheduler, configuration: DashboardConfiguration(mountPath: "/docket"))
/// router.addRoutes(dashboard.routes(), atPath: "/docket")
/// ```
///
/// or serve it alone with ``application(host:port:logger:onServerRunning:)``, as `docket web` does.
public struct DocketDashboard: Sendable {
    /// The scheduler whose journal the pages show and the actions change.
    public let scheduler: JobScheduler
    /// How the dashboard serves.
    public let configuration: DashboardConfiguration
    /// The token every form of this dashboard carries and every action must return: a page of
    /// another site cannot read it, so it cannot make a browser act here.
    let csrfToken: String
    /// The overview's counts of ends per minute, kept between its reads.
    let endsPerMinute = EndsPerMinute()

    /// A dashboard of `scheduler`'s journal. The scheduler need not run: one that only reads (or
    /// changes) the journal shows what another process's scheduler does, as the `docket` tool does.
    public init(scheduler: JobScheduler, configuration: DashboardConfiguration = DashboardConfiguration()) {
        self.scheduler = scheduler
        self.configuration = configuration
        csrfToken = Self.randomToken()
    }

    /// 128 random bits as 32 hexadecimal digits, from the system's random source: for a token to
    /// give ``DashboardConfiguration/token``.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    /// The dashboard's routes, with its access checks and error pages, to add to a router with
    /// `router.addRoutes(_:atPath:)` at ``DashboardConfiguration/mountPath``.
    public func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.add(middleware: DashboardMiddleware<Context>(dashboard: self))
        addRoutes(to: routes)
        return routes
    }

    /// A router that serves the dashboard alone, at its ``DashboardConfiguration/mountPath``, with
    /// its error page for unknown addresses too.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: DashboardMiddleware<BasicRequestContext>(dashboard: self))
        if configuration.mountPath.isEmpty {
            addRoutes(to: router)
        } else {
            addRoutes(to: router.group(RouterPath(configuration.mountPath)))
        }
        return router
    }

    /// A Hummingbird application that serves the dashboard alone on `host`:`port` (port 0 for any
    /// free port; `onServerRunning` learns which from the channel).
    ///
    /// - Throws: ``DashboardSetupError/tokenRequired(host:)`` for a host that is not a loopback
    ///   address when the configuration has no ``DashboardConfiguration/token``, and
    ///   ``DashboardSetupError/tokenUnusable`` for a token ``DashboardConfiguration/isUsableToken(_:)``
    ///   refuses.
    public func application(
        host: String, port: Int, logger: Logger = Logger(label: "docket.dashboard"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws(DashboardSetupError) -> some ApplicationProtocol {
        guard configuration.token != nil || DashboardConfiguration.isLoopback(host) else {
            throw .tokenRequired(host: host)
        }
        if let token = configuration.token, !DashboardConfiguration.isUsableToken(token) { throw .tokenUnusable }
        return Application(
            router: router(), configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "docket"),
            onServerRunning: onServerRunning, logger: logger)
    }
}

/// Why a dashboard cannot be served as configured.
public enum DashboardSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host is not a loopback address and no token was given: anyone who can reach the address
    /// could act on the journal.
    case tokenRequired(host: String)
    /// The token has characters a header or a cookie cannot carry as they are, or is shorter than
    /// 16 or longer than 256 characters.
    case tokenUnusable

    /// What is wrong, and what to do instead.
    public var description: String {
        switch self {
        case .tokenRequired(let host):
            "listening on \(host), which is not a loopback address, needs a token: give --token TOKEN, or bind 127.0.0.1"
        case .tokenUnusable:
            "a token is 16 to 256 characters of A-Z a-z 0-9 - . _ ~"
        }
    }
}
