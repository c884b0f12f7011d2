import DocketLocking
import Foundation

/// Where the tool writes: standard output and standard error, or, in tests, two buffers.
///
/// Commands never call `print`: they write here, so that a test runs a command in-process and reads
/// exactly what a user would have seen.
package final class Console: Sendable {
    /// The console of the running command; the process's own streams unless a test binds another.
    @TaskLocal package static var current = Console()

    // Guards the captured text; nil buffers mean the process's real streams.
    private let captured: Locked<(out: String, err: String)>?

    /// The process's standard output and standard error.
    package init() {
        captured = nil
    }

    private init(capturing: Void) {
        captured = Locked(("", ""))
    }

    /// A console that keeps what is written, for tests.
    package static func capturing() -> Console { Console(capturing: ()) }

    /// What was written to standard output, when capturing.
    package var output: String { captured?.withLock { $0.out } ?? "" }
    /// What was written to standard error, when capturing.
    package var errors: String { captured?.withLock { $0.err } ?? "" }

    /// Writes `line` and a newline to standard output.
    package func line(_ line: String = "") {
        write(line + "\n", error: false)
    }

    /// Writes `line` and a newline to standard error.
    package func errorLine(_ line: String) {
        write(line + "\n", error: true)
    }

    private func write(_ text: String, error: Bool) {
        if let captured {
            captured.withLock { error ? ($0.err += text) : ($0.out += text) }
            return
        }
        let handle = error ? FileHandle.standardError : FileHandle.standardOutput
        handle.write(Data(text.utf8))
    }
}
