import Docket
import DocketDashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes

/// `--dashboard`: while a workload runs, a dashboard serves its journal as `docket web` does (a
/// second scheduler of the same file, which never runs, behind a real socket on 127.0.0.1), and a
/// client does what two open browser tabs do: each loads its page (the overview, the jobs listing)
/// with the stylesheet and script once, then fetches the page again every 2 s with the live-update
/// header, for the whole run.
struct DashboardWatcher: Sendable {
    static let refresh = Duration.seconds(2)
    static let pages = ["/", "/jobs"]

    /// What the client did: its requests and their latencies.
    struct Report: Sendable {
        var requests = 0
        var failures = 0
        var milliseconds: [Double] = []

        var note: String {
            let sorted = milliseconds.sorted()
            func at(_ fraction: Double) -> String {
                sorted.isEmpty ? "-" : fixed(sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))])
            }
            return "dashboard watching (as docket web, a real socket; 2 tabs, \(DashboardWatcher.pages.joined(separator: " and ")), "
                + "each refreshed every 2 s): \(requests) requests, \(failures) not 200, p50 \(at(0.5)) ms, max \(at(1)) ms"
        }
    }

    /// Runs `body` while the dashboard is served on `path` and watched; returns `body`'s value and
    /// what the watcher did.
    static func watching<T: Sendable>(
        path: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> (T, Report) {
        let viewer = try JobScheduler(path: path)
        let application = try DocketDashboard(scheduler: viewer).application(host: "127.0.0.1", port: 0)
        do {
            let result = try await application.test(.live) { client in
                try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
                    group.addTask { .value(try await body()) }
                    for page in pages {
                        group.addTask { .report(await tab(page, client: client)) }
                    }
                    var value: T?
                    var report = Report()
                    while let next = try await group.next() {
                        switch next {
                        case .value(let found):
                            value = found
                            group.cancelAll()
                        case .report(let tab):
                            report.requests += tab.requests
                            report.failures += tab.failures
                            report.milliseconds += tab.milliseconds
                        }
                    }
                    guard let value else { throw WorkloadError("the workload ended without a result") }
                    return (value, report)
                }
            }
            await viewer.close()
            return result
        } catch {
            await viewer.close()
            throw error
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case value(T)
        case report(Report)
    }

    /// One tab: the page with its assets, then the page every 2 s until cancelled.
    private static func tab(_ page: String, client: any TestClientProtocol) async -> Report {
        var report = Report()
        let clock = ContinuousClock()
        for asset in ["/assets/dashboard.css", "/assets/dashboard.js"] {
            _ = try? await client.execute(uri: asset, method: .get)
        }
        var headers: HTTPFields = [:]
        while !Task.isCancelled {
            let start = clock.now
            do {
                let response = try await client.execute(uri: page, method: .get, headers: headers)
                if response.status != .ok { report.failures += 1 }
            } catch {
                if Task.isCancelled { break }
                report.failures += 1
            }
            report.requests += 1
            report.milliseconds.append((clock.now - start).seconds * 1000)
            headers[HTTPField.Name("X-Docket-Live")!] = "1"
            do { try await Task.sleep(for: refresh) } catch { break }
        }
        return report
    }
}
