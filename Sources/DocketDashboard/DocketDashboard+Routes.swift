import Docket
import Hummingbird

extension DocketDashboard {
    /// Every page and action. Pages are GETs that change nothing; every action is a POST that
    /// redirects (303) to the page it changed, with a notice.
    func addRoutes<Routes: RouterMethods>(to routes: Routes) {
        routes.get("/") { request, _ in htmlResponse(try await overviewPage(request)) }
        routes.get("/jobs") { request, _ in htmlResponse(try await jobsPage(request)) }
        routes.get("/jobs/new") { request, _ in htmlResponse(try await newJobPage(request)) }
        routes.get("/jobs/{id}") { request, context in
            htmlResponse(try await jobPage(try Self.jobID(context), request))
        }
        routes.get("/schedules") { request, _ in htmlResponse(try await schedulesPage(request)) }
        routes.get("/queues") { request, _ in htmlResponse(try await queuesPage(request)) }
        routes.get("/assets/dashboard.css") { _, _ in DashboardAssets.response(DashboardAssets.stylesheet, type: "text/css") }
        routes.get("/assets/dashboard.js") { _, _ in DashboardAssets.response(DashboardAssets.script, type: "text/javascript") }

        routes.post("/login") { request, _ in try await signIn(request) }
        routes.post("/jobs") { request, context in try await createJob(request, context: context) }
        routes.post("/jobs/{id}/{action}") { request, context in
            try await jobAction(try Self.jobID(context), context.parameters.get("action") ?? "", request, context: context)
        }
        routes.post("/schedules/{name}/{action}") { request, context in
            try await scheduleAction(
                context.parameters.get("name") ?? "", context.parameters.get("action") ?? "", request, context: context)
        }
        routes.post("/queues/{name}/{action}") { request, context in
            try await queueAction(
                context.parameters.get("name") ?? "", context.parameters.get("action") ?? "", request, context: context)
        }
    }

    /// The `{id}` of the path; 400 when it is not a job id.
    static func jobID(_ context: some RequestContext) throws -> JobID {
        let text = context.parameters.get("id") ?? ""
        guard let value = Int64(text), value > 0 else {
            throw DashboardFailure.badRequest("A job id is a positive whole number, such as /jobs/42.")
        }
        return JobID(value)
    }

    /// The sign-in form's POST: sets the token cookie and goes to the overview, or shows the form
    /// again with 401.
    func signIn(_ request: Request) async throws -> Response {
        let form = try await formValues(request)
        guard let token = configuration.token, DashboardConfiguration.isUsableToken(token), let given = form.raw("token"),
            Self.constantTimeEqual(given, token)
        else {
            throw DashboardFailure(status: .unauthorized, title: "Sign in", message: "That token is not this dashboard's.")
        }
        var response = redirect("/")
        response.setCookie(
            Cookie(
                name: Self.tokenCookie, value: token, path: configuration.mountPath.isEmpty ? "/" : configuration.mountPath,
                httpOnly: true, sameSite: .strict))
        return response
    }
}
