import ArgumentParser
import Docket
import DocketDashboard
import Hummingbird
import Logging

/// `docket web [--host 127.0.0.1] [--port 8080] [--read-only] [--token T]`: the web dashboard of a
/// journal, until interrupted.
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web", abstract: "Serve the journal's web dashboard, until interrupted.",
        discussion: """
            Pages for the journal's jobs, schedules and queues, and forms that act on them as the jobs and \
            schedules commands do. It listens on 127.0.0.1 unless told otherwise; any other address needs a \
            token, which is made up and printed when --token is not given. Browsers send it once through \
            the sign-in form; scripts send it as `Authorization: Bearer TOKEN`.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0 for any free port).") var port = 8080
    @Flag(help: "Only show the journal: every action is hidden and refused.") var readOnly = false
    @Option(help: "The token every request must carry (16 to 256 of A-Z a-z 0-9 - . _ ~).") var token: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        if let token, !DashboardConfiguration.isUsableToken(token) {
            throw ValidationError("--token takes 16 to 256 characters of A-Z a-z 0-9 - . _ ~")
        }
    }

    func run() async throws {
        let path = try global.journalPath()
        let loopback = DashboardConfiguration.isLoopback(host)
        let token = token ?? (loopback ? nil : DocketDashboard.randomToken())
        let scheduler = try readOnly ? global.openForReading() : global.openForChanges()
        let console = Console.current
        try await scheduler.closing { scheduler in
            let dashboard = DocketDashboard(
                scheduler: scheduler, configuration: DashboardConfiguration(isReadOnly: readOnly, token: token))
            var logger = Logger(label: "docket.web")
            logger.logLevel = .warning
            let host = host
            let application = try dashboard.application(host: host, port: port, logger: logger) { channel in
                let bound = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                console.line("docket web: \(path) at http://\(shown):\(bound)/\(readOnly ? " (read-only)" : "")")
                if let token { console.line("token: \(token)") }
            }
            try await application.runService()
        }
    }
}
