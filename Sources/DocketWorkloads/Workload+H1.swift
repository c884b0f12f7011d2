import Docket
import DocketDashboard
import Foundation
import Hummingbird
import HummingbirdTesting

/// H1 (Docket's own, for issue 14): the dashboard's pages on a large journal. The journal of I1
/// (1,000,000 jobs by default, finished over the last ~28 hours so that its last hour holds about
/// 32,000 ends) plus 20 schedules; each page is requested through the dashboard's router in-process
/// (routing, the journal's reads and the HTML, no socket), 50 times. One row per page, p50/p99/max
/// over its calls (ms) and the page's size.
enum DashboardWorkload {
    static let calls = 50

    static func h1(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .h1)
        let path = directory + "/h1.docket"
        _ = try await InspectionWorkload.prefill(path: path, count: count, label: "H1", options)
        let scheduler = try JobScheduler(path: path, configuration: Harness.configuration(options, concurrency: 16))
        for index in 0..<20 {
            _ = try await scheduler.createSchedule(Schedule("report-\(index)", .cron("\(index) * * * *"), jobName: "job-\(index)"))
        }
        let middle = count / 2
        let pages: [(String, String)] = [
            ("overview", "/"),
            ("jobs, first page", "/jobs"),
            ("jobs, state completed, deep page", "/jobs?state=completed&after=completed:\(count * 9 / 10)"),
            ("jobs, state discarded", "/jobs?state=discarded"),
            ("jobs, name (1 of 40)", "/jobs?name=job-7"),
            ("jobs, queue (1 of 8) + state completed", "/jobs?state=completed&queue=queue-3"),
            ("jobs, error text (rare, row budget)", "/jobs?text=quota%20exceeded%20on%20volume%203"),
            ("job", "/jobs/\(middle)"),
            ("job with payload", "/jobs/\(middle)?payload=1"),
            ("schedules (20)", "/schedules"),
            ("queues", "/queues"),
        ]
        let application = Application(router: DocketDashboard(scheduler: scheduler).router())
        var rows: [ResultRow]
        do {
            rows = try await application.test(.router) { client in
                var rows: [ResultRow] = []
                for (label, uri) in pages {
                    var bytes = 0
                    let (samples, status) = try await InspectionWorkload.timed(calls) {
                        let response = try await client.execute(uri: uri, method: .get)
                        bytes = response.body.readableBytes
                        return "\(response.status.code)"
                    }
                    guard status == "200" else { throw WorkloadError("H1: \(uri) answered \(status)") }
                    rows.append(
                        InspectionWorkload.latencyRow(
                            "H1", jobs: count, samples: samples, options, notes: "\(label) (\(uri)); \(calls) calls; \(bytes) bytes"))
                }
                return rows
            }
        } catch {
            await scheduler.close()
            throw error
        }
        await scheduler.close()
        let last = rows.removeLast()
        rows.forEach(ResultOutput.emit)
        return last
    }
}
