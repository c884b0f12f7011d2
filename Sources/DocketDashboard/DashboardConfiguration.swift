/// How a ``DocketDashboard`` serves its pages: where it is mounted, who may use it, and whether it
/// may change anything.
public struct DashboardConfiguration: Sendable {
    /// The path the dashboard's routes are mounted at in the host's router, such as `/docket`; empty
    /// (the default) when they are at the root. Every link and form of the pages starts with it.
    public var mountPath: String
    /// Whether the dashboard only reads: every action is hidden from the pages, and a request for one
    /// is refused with 403 Forbidden.
    public var isReadOnly: Bool
    /// The secret every request must carry (see ``isUsableToken(_:)``), as `Authorization: Bearer TOKEN`, as the
    /// `X-Docket-Token` header, or as the `docket_token` cookie that the sign-in form sets; nil for
    /// none. Without a token the dashboard answers only requests addressed to a loopback name
    /// (`127.0.0.1`, `localhost`, `[::1]`), so that a page of another site cannot reach it through
    /// a DNS name that points at this machine.
    public var token: String?
    /// How often the pages refresh their content in a browser with JavaScript on.
    public var refreshInterval: Duration
    /// The largest request body an action accepts, in bytes; a larger one gets 413.
    public var maxBodyBytes: Int
    /// How many jobs a page of the job listing shows.
    public var pageSize: Int

    /// A configuration; the defaults serve a read-write dashboard at the root, to loopback only.
    public init(
        mountPath: String = "", isReadOnly: Bool = false, token: String? = nil, refreshInterval: Duration = .seconds(2),
        maxBodyBytes: Int = 64 * 1024, pageSize: Int = 50
    ) {
        var path = mountPath
        while path.hasSuffix("/") { path.removeLast() }
        if !path.isEmpty, !path.hasPrefix("/") { path = "/" + path }
        self.mountPath = path
        self.isReadOnly = isReadOnly
        self.token = token
        self.refreshInterval = refreshInterval
        self.maxBodyBytes = maxBodyBytes
        self.pageSize = max(1, min(pageSize, 1_000))
    }

    /// Whether `token` can be a dashboard's token: 16 to 256 characters of `A-Z a-z 0-9 - . _ ~`,
    /// which a header and a cookie carry as they are. ``DocketDashboard/randomToken()`` makes one.
    public static func isUsableToken(_ token: String) -> Bool {
        (16...256).contains(token.utf8.count)
            && token.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte)
            }
    }

    /// Whether `host` (a name or an address, with or without brackets) names this machine's
    /// loopback interface: the only addresses a dashboard without a token may listen on.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name.hasSuffix(".localhost") { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
