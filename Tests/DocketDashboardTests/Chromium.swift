import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Testing

/// A headless Chromium from the system (Debian's `chromium` package), driven over its DevTools
/// protocol: a real browser that loads the dashboard, runs its script, fills its forms and takes
/// screenshots.
final class Chromium {
    let process: Process
    let profile: URL
    let endpoint: String

    /// The browser binary: `$CHROMIUM`, or the first of the usual names on the PATH.
    static func executable() -> String? {
        if let given = ProcessInfo.processInfo.environment["CHROMIUM"], !given.isEmpty { return given }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "headless_shell"] {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Starts the browser; it writes its DevTools port to `DevToolsActivePort` in its profile.
    init(executable: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("docket-chromium-\(UUID())")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0",
            // The WebSocket client says `Origin: ws://127.0.0.1`, which DevTools refuses unless allowed.
            "--remote-allow-origins=ws://127.0.0.1",
            "--user-data-dir=\(profile.path)", "--window-size=1200,900", "about:blank",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: Self.logFile(profile))
        try process.run()
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        let deadline = Date().addingTimeInterval(60)
        while true {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                if lines.count >= 2 {
                    endpoint = "ws://127.0.0.1:\(lines[0])\(lines[1])"
                    return
                }
            }
            guard process.isRunning, Date() < deadline else {
                let log = (try? String(contentsOf: profile.appendingPathComponent("chromium.log"), encoding: .utf8)) ?? ""
                process.terminate()
                throw BrowserError.didNotStart(log: String(log.suffix(2_000)))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    private static func logFile(_ profile: URL) throws -> URL {
        let url = profile.appendingPathComponent("chromium.log")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    /// Opens a tab of the browser at `endpoint` (its ``endpoint``) and runs `script` on it.
    static func withPage(endpoint: String, _ script: @escaping @Sendable (inout DevToolsPage) async throws -> Void) async throws {
        let logger = Logger(label: "docket.tests.devtools")
        try await WebSocketClient.connect(
            url: endpoint, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 26), logger: logger
        ) { inbound, outbound, _ in
            var page = DevToolsPage(messages: inbound.messages(maxSize: 1 << 27).makeAsyncIterator(), outbound: outbound)
            let target = try await page.send("Target.createTarget", ["url": "about:blank"])
            let session = try await page.send("Target.attachToTarget", ["targetId": target["targetId"] ?? "", "flatten": true])
            page.session = session["sessionId"] as? String
            _ = try await page.send(
                "Emulation.setDeviceMetricsOverride", ["width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": false])
            try await script(&page)
            try await outbound.close(.normalClosure, reason: nil)
        }
    }
}

enum BrowserError: Error, CustomStringConvertible {
    case didNotStart(log: String)
    case protocolError(String)
    case timedOut(String)

    var description: String {
        switch self {
        case .didNotStart(let log): "Chromium did not start: \(log)"
        case .protocolError(let message): "DevTools: \(message)"
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

/// One tab, over the browser's DevTools socket: commands go out with an id, and the answer with
/// that id comes back among the events, which are skipped.
struct DevToolsPage {
    var messages: WebSocketInboundMessageStream.AsyncIterator
    let outbound: WebSocketOutboundWriter
    var session: String?
    private var nextID = 0

    init(messages: WebSocketInboundMessageStream.AsyncIterator, outbound: WebSocketOutboundWriter) {
        self.messages = messages
        self.outbound = outbound
    }

    mutating func send(_ method: String, _ parameters: [String: Any] = [:]) async throws -> [String: Any] {
        nextID += 1
        var command: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if let session { command["sessionId"] = session }
        try await outbound.write(.text(String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)))
        while let message = try await messages.next() {
            guard case .text(let text) = message,
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                object["id"] as? Int == nextID
            else { continue }
            if let error = object["error"] as? [String: Any] {
                throw BrowserError.protocolError("\(method): \(error["message"] ?? error)")
            }
            return object["result"] as? [String: Any] ?? [:]
        }
        throw BrowserError.protocolError("the socket closed during \(method)")
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    mutating func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw BrowserError.protocolError("\(expression): \(exception["text"] ?? exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    mutating func text(_ expression: String) async throws -> String {
        try await evaluate(expression) as? String ?? ""
    }

    /// Loads `url` and waits for the document to finish loading.
    mutating func open(_ url: String) async throws {
        _ = try await send("Page.navigate", ["url": url])
        try await waitFor("document.readyState === 'complete' && location.href === \(Self.quoted(url))", what: "\(url) to load")
    }

    /// Polls `condition` (a JavaScript expression) until it is true; a page that never gets there
    /// fails after `seconds`.
    mutating func waitFor(_ condition: String, what: String, seconds: Double = 20) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            // Mid-navigation the old document may be half gone (an element missing) or its context
            // destroyed: both mean "not yet".
            let met = try? await evaluate("(() => { try { return !!(\(condition)); } catch (error) { return false; } })()")
            if met as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BrowserError.timedOut(what)
    }

    /// A PNG of what the tab shows, written to `file`.
    mutating func screenshot(to file: URL) async throws {
        let result = try await send("Page.captureScreenshot", ["format": "png"])
        guard let data = (result["data"] as? String).flatMap({ Data(base64Encoded: $0) }) else {
            throw BrowserError.protocolError("no screenshot data")
        }
        try data.write(to: file)
    }

    static func quoted(_ text: String) -> String {
        (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])).map { String(decoding: $0, as: UTF8.self) } ?? "''"
    }
}
