import Docket
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The append-only file in which handlers record every execution, outside the journal: one line as a
/// handler starts (`S queue attempt pid`) and one as it ends (`F queue attempt pid outcome`).
///
/// Each line is one `write` on a descriptor opened with `O_APPEND`, followed by `fdatasync`: once the
/// call returns the line survives a SIGKILL, and a killed process never leaves half a line.
final class ExecutionLog: Sendable {
    private let descriptor: Int32

    init(path: String) throws(TortureError) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TortureError("cannot open the execution log \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(descriptor)
    }

    func started(_ queue: String, attempt: Int) {
        append("S \(queue) \(attempt) \(getpid())\n")
    }

    func finished(_ queue: String, attempt: Int, outcome: ExecutionOutcome) {
        append("F \(queue) \(attempt) \(getpid()) \(outcome.rawValue)\n")
    }

    private func append(_ line: String) {
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        // A torn or lost line would make the parent's checks lie; stop rather than go on without it.
        guard written == bytes.count, fdatasync(descriptor) == 0 else {
            printLine("error: the execution log could not be written: \(String(cString: strerror(errno)))")
            exit(70)
        }
    }
}

/// How a handler's execution ended, as the handler saw it.
enum ExecutionOutcome: String, Sendable, CaseIterable {
    /// Returned normally.
    case ok
    /// Threw an ordinary error.
    case fail
    /// Threw `JobControl.snooze`.
    case snooze
    /// Threw `JobControl.discard`.
    case discard
    /// Was cancelled: by its timeout, or by a shutdown.
    case cancelled
}

/// One execution read back from the log; `outcome` is nil when no finish line followed its start.
struct Execution: Sendable, Hashable {
    var queue: String
    var attempt: Int
    var pid: Int32
    var outcome: ExecutionOutcome?
}

extension ExecutionLog {
    /// Parses the log's text into executions in start order. A line that does not parse is returned
    /// in `malformed`.
    static func parse(_ text: String) -> (executions: [Execution], malformed: [String]) {
        var executions: [Execution] = []
        // "queue attempt pid" -> its unfinished execution. A timed-out attempt's handler may write its
        // finish line after the retry's start line, so the attempt is part of the key.
        var open: [String: Int] = [:]
        var malformed: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 4, let attempt = Int(fields[2]), let pid = Int32(fields[3]) else {
                malformed.append(String(line))
                continue
            }
            let key = "\(fields[1]) \(attempt) \(pid)"
            switch (fields[0], fields.count) {
            case ("S", 4):
                open[key] = executions.count
                executions.append(Execution(queue: fields[1], attempt: attempt, pid: pid, outcome: nil))
            case ("F", 5):
                guard let index = open.removeValue(forKey: key), let outcome = ExecutionOutcome(rawValue: fields[4])
                else {
                    malformed.append(String(line))
                    continue
                }
                executions[index].outcome = outcome
            default:
                malformed.append(String(line))
            }
        }
        return (executions, malformed)
    }
}

/// A failure of the torture child itself (bad arguments, an unwritable log), not of Docket.
struct TortureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
