import Docket
import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `DocketTorture` child that the test drives while it runs: it reads the child's lines as they
/// come, waits for one, and sends the child signals (SIGSTOP, SIGCONT, SIGKILL) when it chooses.
///
/// The process is made, read and waited for on a thread of its own, never on the cooperative pool
/// that the tests' schedulers need; the state that thread shares is in a `Locked`.
final class LiveChild: Sendable {
    private struct State {
        var pid: Int32?
        var lines: [String] = []
        var ending: ChildRun.Ending?
        /// Set when a waiting task is cancelled (a test past its time limit): every wait ends.
        var interrupted = false
    }

    private let state = Locked(State())

    /// Launches the child with `arguments`. One that cannot be launched ends at once, as `exited(-1)`,
    /// with the reason as its only line.
    init(_ arguments: [String]) {
        let executable = TortureProcess.executable
        Thread { [state] in
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            do {
                try process.run()
            } catch {
                state.withLock { state in
                    state.lines.append("cannot launch \(executable.path): \(error)")
                    state.ending = .exited(-1)
                }
                state.wakeWaiters()
                return
            }
            state.withLock { $0.pid = process.processIdentifier }
            state.wakeWaiters()
            forEachLine(in: output.fileHandleForReading) { line in
                state.withLock { $0.lines.append(line) }
                state.wakeWaiters()
            }
            process.waitUntilExit()
            let ending: ChildRun.Ending =
                process.terminationReason == .uncaughtSignal
                ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
            state.withLock { $0.ending = ending }
            state.wakeWaiters()
        }.start()
    }

    /// Every line the child printed so far.
    var lines: [String] { state.withLock { $0.lines } }

    /// How it ended; nil while it runs.
    var ending: ChildRun.Ending? { state.withLock { $0.ending } }

    /// Sends `signal` to the child, unless it already ended.
    func send(_ signal: Int32) {
        state.withLock { state in
            if state.ending == nil, let pid = state.pid { kill(pid, signal) }
        }
    }

    /// The first line that starts with `prefix`, once the child printed it; nil when the child ended
    /// without printing it, or the calling task was cancelled first.
    func line(startingWith prefix: String) async -> String? {
        await onThread { [state] in
            state.withLock(waitingUntil: { state in
                state.interrupted || state.ending != nil || state.lines.contains { $0.hasPrefix(prefix) }
            }) { state in state.lines.first { $0.hasPrefix(prefix) } }
        }
    }

    /// How the child ended, once it did; nil when the calling task was cancelled first.
    func ended() async -> ChildRun.Ending? {
        await onThread { [state] in
            state.withLock(waitingUntil: { $0.interrupted || $0.ending != nil }) { $0.ending }
        }
    }

    /// The last lines, for a failure message.
    var transcript: String { lines.suffix(20).joined(separator: " | ") }

    /// Runs a blocking wait on a thread of its own; a cancellation of the calling task ends it, and
    /// every later wait, at once.
    private func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: body()) }.start()
            }
        } onCancel: { [state] in
            state.withLock { $0.interrupted = true }
            state.wakeWaiters()
        }
    }
}
