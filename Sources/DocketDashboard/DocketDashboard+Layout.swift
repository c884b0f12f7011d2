import DocketText
import Foundation
import HTTPTypes
import Hummingbird

/// The frame every page shares, and the answers built from pages.
extension DocketDashboard {
    /// `path` under the mount path.
    func link(_ path: String) -> String { configuration.mountPath + path }

    /// A whole page: the navigation, the page's content in `main#live` (which the script replaces
    /// with the same part of a fresh copy), and a notice when an action just succeeded.
    func page(_ title: String, section: String, notice: String? = nil, live: Bool = true, _ content: HTML) -> HTML {
        let sections: [(String, String)] = [("overview", "/"), ("jobs", "/jobs"), ("schedules", "/schedules"), ("queues", "/queues")]
        let nav = sections.map { name, path in
            let current = name == section ? HTML(trusted: " aria-current=\"page\"") : .empty
            return HTML("<a href=\"\(link(path))\"\(current)>\(name.prefix(1).uppercased() + name.dropFirst())</a>")
        }.joined()
        let create = configuration.isReadOnly ? HTML(" <span class=\"badge\">read-only</span>")
            : HTML("<a class=\"button\" href=\"\(link("/jobs/new"))\">New job</a>")
        let refresh = live ? Int(configuration.refreshInterval.components.seconds * 1000
            + configuration.refreshInterval.components.attoseconds / 1_000_000_000_000_000) : 0
        let banner = notice.map { HTML("<p class=\"notice\" role=\"status\">\($0)</p>") } ?? .empty
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Docket</title>
            <link rel="stylesheet" href="\(link("/assets/dashboard.css"))">
            <script src="\(link("/assets/dashboard.js"))" defer></script>
            </head><body data-refresh-ms="\(refresh)">
            <header><strong class="brand">Docket</strong><nav>\(nav)</nav>\(create)<span id="live-status" aria-live="polite"></span><noscript><span class="hint">reload to update</span></noscript></header>
            <main id="live"><h1>\(title)</h1>\(banner)\(content)</main>
            </body></html>
            """
    }

    /// A hidden field with the CSRF token, for every action form.
    var csrfField: HTML { HTML("<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\">") }

    /// A form of one button that posts to `path`, unless the dashboard is read-only.
    func actionButton(_ label: String, _ path: String, fields: HTML = .empty, style: String = "") -> HTML {
        guard !configuration.isReadOnly else { return .empty }
        return HTML(
            "<form method=\"post\" action=\"\(link(path))\" class=\"inline\">\(csrfField)\(fields)<button type=\"submit\" class=\"\(style)\">\(label)</button></form>")
    }

    func htmlResponse(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html.description)))
    }

    /// 303 See Other to `path` under the mount path: where a browser goes after an action.
    func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: link(path)])
    }

    /// The page of a failure; the sign-in form for 401.
    func errorPage(_ failure: DashboardFailure) -> Response {
        var content: HTML = failure.message.isEmpty ? .empty : HTML("<p class=\"error\">\(failure.message)</p>")
        if failure.status == .unauthorized {
            content += HTML(
                """
                <p>This dashboard needs its token: the one printed when it started, or given with --token.</p>
                <form method="post" action="\(link("/login"))"><label>Token <input type="password" name="token" autocomplete="current-password" required></label>
                <button type="submit">Sign in</button></form>
                """)
        } else {
            content += HTML("<p><a href=\"\(link("/"))\">Back to the overview</a></p>")
        }
        let title = failure.status == .unauthorized ? failure.title : "\(failure.status.code) \(failure.title)"
        return htmlResponse(page(title, section: "", live: false, content), status: failure.status)
    }

    /// The body of a POST as form values, after the checks every action makes: not read-only, a
    /// form, within the size limit, with this dashboard's CSRF token, not sent by another site.
    func actionForm(_ request: Request, context: some RequestContext) async throws -> FormValues {
        guard !configuration.isReadOnly else { throw DashboardFailure.readOnly }
        if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" { throw DashboardFailure.badCSRF }
        let form = try await formValues(request)
        guard let csrf = form.raw("csrf"), Self.constantTimeEqual(csrf, csrfToken) else { throw DashboardFailure.badCSRF }
        return form
    }

    /// A form body, refused with 413 over the size limit and 415 when it is not a form.
    func formValues(_ request: Request) async throws -> FormValues {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw DashboardFailure(
                status: .unsupportedMediaType, title: "Not a form", message: "Actions take an HTML form (application/x-www-form-urlencoded).")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            throw HTTPError(.contentTooLarge)
        }
        let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        guard let pairs = URLText.pairs(String(buffer: buffer)) else {
            throw DashboardFailure.badRequest("The form's encoding is broken (bad percent-encoding or not UTF-8).")
        }
        return FormValues(pairs)
    }

    /// The query of a page's address as values; 400 for a broken encoding.
    func queryValues(_ request: Request) throws -> FormValues {
        guard let pairs = URLText.pairs(request.uri.query ?? "") else {
            throw DashboardFailure.badRequest("The address's query is broken (bad percent-encoding or not UTF-8).")
        }
        return FormValues(pairs)
    }

    func date(_ date: Date?) -> HTML {
        guard let date else { return "–" }
        return HTML("<time datetime=\"\(ISO8601.format(date))\">\(ISO8601.format(date))</time>")
    }

    /// The wall clock of the scheduler (its configured clock), as a date.
    var now: Date { scheduler.now().date }
}
