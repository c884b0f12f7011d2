import Docket
import Foundation
import Hummingbird

/// Creating a job by hand: a name, a JSON payload, a delay or a date, a queue and a unique key,
/// scheduled with `schedule(name:payload:_:options:)`, as a program would.
extension DocketDashboard {
    func newJobPage(_ request: Request) async throws -> HTML {
        guard !configuration.isReadOnly else { throw DashboardFailure.readOnly }
        let names = try await scheduler.countBreakdown().byName.keys.sorted()
        return page("New job", section: "jobs", live: false, jobForm(FormValues([]), names: names, error: nil))
    }

    private func jobForm(_ values: FormValues, names: [String], error: String?) -> HTML {
        let problem = error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? .empty
        let options = names.prefix(500).map { HTML("<option value=\"\($0)\">") }.joined()
        return HTML(
            """
            \(problem)
            <form method="post" action="\(link("/jobs"))" class="job-form" id="new-job">\(csrfField)
            <label>Name <input name="name" id="job-name" list="job-names" required value="\(values.raw("name") ?? "")"></label>
            <datalist id="job-names">\(options)</datalist>
            <label>Queue <input name="queue" id="job-queue" placeholder="default" value="\(values.raw("queue") ?? "")"></label>
            <label>Payload (JSON) <textarea name="payload" id="job-payload" rows="6" spellcheck="false">\(values.raw("payload") ?? "{}")</textarea></label>
            <label>Run in <input name="in" id="job-in" placeholder="now, or 30s, 2h45m" value="\(values.raw("in") ?? "")"></label>
            <label>or at <input name="at" id="job-at" placeholder="2026-03-08T07:00:00Z" value="\(values.raw("at") ?? "")"></label>
            <label>Unique key <input name="unique" id="job-unique" value="\(values.raw("unique") ?? "")"></label>
            <button type="submit" id="create-job">Create job</button>
            </form>
            <p class="hint">The job runs once a scheduler on this journal has a handler for its name; the payload is given to that handler as it is written here.</p>
            """)
    }

    func createJob(_ request: Request, context: some RequestContext) async throws -> Response {
        let form = try await actionForm(request, context: context)
        do {
            guard let name = form["name"] else { throw DashboardFailure.badRequest("Give the job's name: the name its handler is registered under.") }
            let payload = form.raw("payload")?.trimmingWhitespace() ?? ""
            let bytes = Array((payload.isEmpty ? "{}" : payload).utf8)
            do {
                _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            } catch {
                throw DashboardFailure.badRequest("The payload is not JSON: \((error as NSError).localizedDescription)")
            }
            let options = JobOptions(uniqueKey: form["unique"], queue: form["queue"])
            let job = try await scheduler.schedule(name: name, payload: bytes, try timing(form, required: false) ?? .now, options: options)
            return redirect("/jobs/\(job.id.rawValue)?done=\(job.isDuplicate ? "duplicate" : "created")")
        } catch {
            // The form again, as it was filled, with what to fix.
            let failure = DashboardFailure(error)
            guard failure.status == .badRequest || failure.status == .conflict else { throw error }
            let names = (try? await scheduler.countBreakdown().byName.keys.sorted()) ?? []
            return htmlResponse(page("New job", section: "jobs", live: false, jobForm(form, names: names, error: failure.message)), status: failure.status)
        }
    }
}
