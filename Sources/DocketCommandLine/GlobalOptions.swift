import ArgumentParser
import Docket
import DocketCore
import DocketSQLite
import Foundation

/// `--journal PATH` and `--json`, which every command takes.
package struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The journal file.")
    var journal: String?

    @Flag(name: .long, help: "Print JSON instead of tables.")
    var json = false

    package init() {}

    /// The journal's path, or a usage failure that says how to give it.
    func journalPath() throws -> String {
        guard let journal, !journal.isEmpty else {
            throw ToolFailure.usage("give the journal with --journal PATH")
        }
        guard FileManager.default.fileExists(atPath: journal) else {
            throw ToolFailure.failure("no journal at \(journal)")
        }
        return journal
    }

    /// A scheduler that reads the journal and cannot change it; it never runs and takes no lock.
    func openForReading(_ scheduling: SchedulerConfiguration = SchedulerConfiguration()) throws -> JobScheduler {
        let path = try journalPath()
        var configuration = JournalConfiguration(location: .file(path: path))
        configuration.readOnly = true
        do {
            return JobScheduler(store: try SQLiteJournal(configuration: configuration), configuration: scheduling)
        } catch {
            throw ToolFailure.failure("cannot read \(path): \(DocketError.storage(DocketError.StorageFailure(error)))")
        }
    }

    /// A scheduler that may change the journal; it never runs and takes no lock, so a scheduler
    /// running on the journal in another process goes on, and sees each change as it would its own.
    func openForChanges(_ scheduling: SchedulerConfiguration = SchedulerConfiguration()) throws -> JobScheduler {
        let path = try journalPath()
        do {
            return try JobScheduler(path: path, configuration: scheduling)
        } catch {
            throw ToolFailure.failure("cannot open \(path): \(error)")
        }
    }
}

extension JobScheduler {
    /// Runs `body` with this scheduler, then closes it, whether `body` threw or not.
    func closing<Value>(_ body: (JobScheduler) async throws -> Value) async throws -> Value {
        do {
            let value = try await body(self)
            await close()
            return value
        } catch {
            await close()
            throw error
        }
    }
}
