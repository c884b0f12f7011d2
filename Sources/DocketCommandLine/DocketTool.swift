import ArgumentParser
import Docket

/// The `docket` command: looks at a journal from outside the process that runs it, and acts on it.
///
/// Exit codes: 0 when the command did its work, 1 when it failed (the journal could not be opened,
/// a job was not in a state the action needs…), 2 when the command line was wrong.
package struct DocketTool: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "docket",
        abstract: "Inspect and operate a Docket journal.",
        discussion: """
            Every command takes --journal PATH (the journal file) and --json (machine-readable output), \
            before or after the command's name. Journals are opened read-only unless the command changes \
            something; no command needs the runner lock, so all of them work while a scheduler runs.
            Exit codes: 0 ok, 1 failure, 2 usage.
            """,
        subcommands: [
            StatsCommand.self, JobsCommand.self, QueuesCommand.self, SchedulesCommand.self, ScheduleCommand.self,
            PruneCommand.self, TailCommand.self, DoctorCommand.self, MigrateCommand.self, WebCommand.self,
        ]
    )

    package init() {}

    /// The options every command takes wherever they appear, moved behind the command's name, where
    /// the parser looks for them.
    static let globalOptions: Set<String> = ["--journal"]
    static let globalFlags: Set<String> = ["--json"]

    /// Runs the command line `arguments` (without the program name) and returns the exit code.
    package static func run(_ arguments: [String]) async -> Int32 {
        let console = Console.current
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(hoistingGlobalOptions(arguments))
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                console.line(fullMessage(for: error))
                return 0
            }
            console.errorLine(fullMessage(for: error))
            return 2
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
            return 0
        } catch let failure as ToolFailure {
            console.errorLine("docket: \(failure.message)")
            return failure.isUsage ? 2 : 1
        } catch let error as DocketError {
            console.errorLine("docket: \(error)")
            return 1
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                console.line(fullMessage(for: error))
                return 0
            }
            console.errorLine(fullMessage(for: error))
            return code == .validationFailure ? 2 : 1
        }
    }

    /// `arguments` with `--journal PATH` and `--json` moved to the end, so that they may also come
    /// before the command's name.
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var rest: [String] = []
        var global: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            if globalFlags.contains(argument) {
                global.append(argument)
            } else if globalOptions.contains(name) {
                global.append(argument)
                if !argument.contains("="), index + 1 < arguments.endIndex {
                    index += 1
                    global.append(arguments[index])
                }
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return rest + global
    }
}
