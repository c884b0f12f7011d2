import Docket
import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where and when to kill a child: on the `occurrence`-th output line that starts with `marker`.
struct KillPoint: Sendable, Hashable, CustomStringConvertible {
    var marker: String
    var occurrence: Int

    var description: String { "\(marker) #\(occurrence)" }
}

/// How one launch of the child ended.
struct ChildRun: Sendable {
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
    }

    var pid: Int32
    var ending: Ending
    /// Every line it printed on standard output.
    var lines: [String]
    /// Whether the parent sent SIGKILL on the kill point.
    var killedAtMarker: Bool
    /// Whether the parent sent SIGKILL because the time limit passed: the child hung.
    var hung: Bool
    /// What it wrote on standard error, for failure messages.
    var standardError: String
    /// Every thread's stack when the time limit passed, where gdb could attach: what a hang was
    /// waiting for.
    var stacksAtTimeLimit: String? = nil

    /// Ended by the parent's SIGKILL at the kill point.
    var wasKilled: Bool { killedAtMarker && ending == .signalled(SIGKILL) }

    /// The last lines and standard error, for a failure message.
    var transcript: String {
        var text = "ended \(ending); last lines: \(lines.suffix(8).joined(separator: " | ")); stderr: \(standardError.suffix(2000))"
        if let stacksAtTimeLimit { text += "\nstacks at the time limit:\n\(stacksAtTimeLimit)" }
        return text
    }
}

/// Launches the `DocketTorture` executable, which SwiftPM builds next to the test bundle.
///
/// Reading the child's output blocks, so each launch runs on a thread of its own, never on the
/// cooperative pool that the tests' schedulers need.
enum TortureProcess {
    static var executable: URL {
        let tests = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let directory = FileManager.default.fileExists(atPath: tests.path)
            ? tests.deletingLastPathComponent()
            : Bundle.main.bundleURL.deletingLastPathComponent()
        return directory.appendingPathComponent("DocketTorture")
    }

    /// Runs the child with `arguments` until it exits; kills it with SIGKILL at `killPoint` when given,
    /// and after `timeLimit` in any case (reported as `hung`).
    static func run(_ arguments: [String], killAt killPoint: KillPoint? = nil, timeLimit: Duration = .seconds(60)) async throws -> ChildRun {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(arguments, killPoint, timeLimit) })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ arguments: [String], _ killPoint: KillPoint?, _ timeLimit: Duration) throws -> ChildRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let pid = process.processIdentifier
        let errorText = ErrorDrain(errors.fileHandleForReading)
        let watchdog = Watchdog(pid: pid, after: timeLimit)
        var lines: [String] = []
        var killed = false
        var seen = 0
        forEachLine(in: output.fileHandleForReading) { line in
            lines.append(line)
            if let killPoint, !killed, line.hasPrefix(killPoint.marker) {
                seen += 1
                if seen == killPoint.occurrence {
                    kill(pid, SIGKILL)
                    killed = true
                }
            }
        }
        process.waitUntilExit()
        let (hung, stacks) = watchdog.disarm()
        let ending: ChildRun.Ending =
            process.terminationReason == .uncaughtSignal
            ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return ChildRun(
            pid: pid, ending: ending, lines: lines, killedAtMarker: killed, hung: hung,
            standardError: errorText.wait(), stacksAtTimeLimit: stacks)
    }
}

/// Kills a child that outlives its time limit: a safety net against a hung child, never a way to
/// wait for something. Before the kill it asks gdb, where there is one, for every thread's stack.
private final class Watchdog: Sendable {
    private struct State {
        var armed = true
        var fired = false
        var stacks: String?
    }

    private let state = Locked(State())

    init(pid: Int32, after limit: Duration) {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [state] in
            guard state.withLock({ $0.armed }) else { return }
            // Read while the child still hangs; the child may exit meanwhile, which the kill's check
            // below sees.
            let stacks = Self.stacks(of: pid)
            state.withLock { state in
                guard state.armed else { return }
                state.fired = true
                state.stacks = stacks
                kill(pid, SIGKILL)
            }
        }
    }

    /// Stops the watchdog; returns whether it had fired, and the stacks it read.
    func disarm() -> (fired: Bool, stacks: String?) {
        state.withLock { state in
            state.armed = false
            return (state.fired, state.stacks)
        }
    }

    /// Every thread's backtrace of process `pid`, from gdb in batch mode; nil without gdb.
    private static func stacks(of pid: Int32) -> String? {
        let gdb = "/usr/bin/gdb"
        guard FileManager.default.isExecutableFile(atPath: gdb) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gdb)
        process.arguments = ["-p", "\(pid)", "-batch", "-nx", "-ex", "thread apply all bt 40"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data.suffix(200_000), as: UTF8.self)
    }
}

/// Reads a pipe to its end on a thread of its own, so that a chatty child never blocks on it.
private final class ErrorDrain: Sendable {
    /// The whole text, once the pipe has closed.
    private let text = Locked<String?>(nil)

    init(_ handle: FileHandle) {
        Thread { [text] in
            let data = handle.readDataToEndOfFile()
            text.withLock { $0 = String(decoding: data, as: UTF8.self) }
            text.wakeWaiters()
        }.start()
    }

    /// The whole text, once the pipe has closed.
    func wait() -> String {
        text.withLock(waitingUntil: { $0 != nil }) { $0 ?? "" }
    }
}
