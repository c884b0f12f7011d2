import Docket
import Logging
import Synchronization

/// Keeps every log record a scheduler writes, at every level, and lets a test wait for one.
final class LogCapture: Sendable {
    /// One record, flattened to text: level, message, metadata and source.
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var text: String
    }

    private struct State {
        var records: [Record] = []
        var waiters: [(substring: String, continuation: CheckedContinuation<Record, Never>)] = []
    }

    // Guards the records and the waiters, so a record never slips between a check and a wait.
    private let state = Locked(State())

    /// A logger at `.trace` that writes here.
    var logger: Logger {
        var logger = Logger(label: "docket-reliability") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var records: [Record] { state.withLock { $0.records } }

    /// The first record whose message contains `substring`, waiting for it if needed.
    func record(containing substring: String) async -> Record {
        await withCheckedContinuation { continuation in
            let found = state.withLock { state -> Record? in
                if let record = state.records.first(where: { $0.message.contains(substring) }) { return record }
                state.waiters.append((substring, continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    fileprivate func append(_ record: Record) {
        let ready = state.withLock { state -> [CheckedContinuation<Record, Never>] in
            state.records.append(record)
            let ready = state.waiters.filter { record.message.contains($0.substring) }.map(\.continuation)
            state.waiters.removeAll { record.message.contains($0.substring) }
            return ready
        }
        ready.forEach { $0.resume(returning: record) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let error = event.error.map { " error=\($0)" } ?? ""
            capture.append(
                Record(
                    level: event.level, message: event.message.description,
                    text: "\(event.level) \(event.message) \(fields)\(error) source=\(event.source)"))
        }
    }
}
