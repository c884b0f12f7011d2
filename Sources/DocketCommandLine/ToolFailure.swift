/// Why a command failed: printed on standard error as `docket: <message>`, with the exit code that
/// says whether the command line was wrong (2) or the work failed (1).
package struct ToolFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    package var message: String
    /// Whether the command line itself was at fault.
    package var isUsage: Bool

    /// The work failed: exit code 1.
    package static func failure(_ message: String) -> ToolFailure {
        ToolFailure(message: message, isUsage: false)
    }

    /// The command line was wrong: exit code 2.
    package static func usage(_ message: String) -> ToolFailure {
        ToolFailure(message: message, isUsage: true)
    }

    package var description: String { message }
}
