import DocketCore
import Foundation

extension JobScheduler {
    /// Registers the handler for jobs of `type`, decoding each job's payload as `Payload`.
    ///
    /// A payload that does not decode discards the job at once with the decoding error: retrying
    /// cannot fix it.
    /// - Throws: ``DocketError/duplicateHandler(name:)`` when the name already has a handler, and
    ///   ``DocketError/invalidInput(_:)`` for an invalid name, attempt limit or timeout.
    public func register<Payload: JobPayload>(
        _ type: Payload.Type, options: HandlerOptions = HandlerOptions(),
        handler: @escaping @Sendable (Payload, JobContext) async throws -> Void
    ) throws(DocketError) {
        // One decoder per handler: making a JSONDecoder per job costs more than decoding a small payload.
        let decoder = JSONDecoder()
        try register(Payload.jobName, options: options) { context in
            let payload = try PayloadCoding.decode(Payload.self, from: context.payload, using: decoder)
            try await handler(payload, context)
        }
    }

    /// Registers a handler for jobs named `name`; it reads the raw payload from its context.
    ///
    /// Handlers may be registered while the scheduler runs; jobs that waited for one run then.
    /// - Throws: ``DocketError/duplicateHandler(name:)`` when the name already has a handler, and
    ///   ``DocketError/invalidInput(_:)`` for an invalid name, attempt limit or timeout.
    public func register(
        _ name: String, options: HandlerOptions = HandlerOptions(),
        handler: @escaping @Sendable (JobContext) async throws -> Void
    ) throws(DocketError) {
        try JobValidation.validate(name: name)
        if let maxAttempts = options.maxAttempts { try JobValidation.validate(maxAttempts: maxAttempts) }
        if let timeout = options.timeout { try JobValidation.validate(timeout: timeout) }
        let added = handlers.withLock { handlers in
            guard handlers[name] == nil else { return false }
            handlers[name] = RegisteredHandler(options: options, run: handler)
            return true
        }
        guard added else { throw .duplicateHandler(name: name) }
        send(.registered(name))
    }

    /// Whether a handler is registered for `name`.
    public func hasHandler(for name: String) -> Bool {
        services.hasHandler(for: name)
    }
}

/// The rules a job's description must follow; each failure says what to change.
enum JobValidation {
    static let maxNameLength = 255
    static let maxUniqueKeyLength = 1024
    static let maxAttemptsLimit = 10_000

    static func validate(name: String) throws(DocketError) {
        try validate(identifier: name, field: .name, what: "job name", hint: "give every job type a name")
    }

    static func validate(scheduleName: String) throws(DocketError) {
        try validate(identifier: scheduleName, field: .scheduleName, what: "schedule name", hint: "give every schedule a name")
    }

    static let maxPauseNoteLength = 1024

    static func validate(pauseNote: String) throws(DocketError) {
        guard pauseNote.utf8.count <= maxPauseNoteLength else {
            throw .invalid(.pauseNote, String(pauseNote.prefix(40)) + "…", "the note is \(pauseNote.utf8.count) bytes long; the limit is \(maxPauseNoteLength)")
        }
    }

    /// A name that identifies something in the journal: 1 to 255 bytes, no control characters.
    private static func validate(
        identifier name: String, field: DocketError.InvalidInput.Field, what: String, hint: String
    ) throws(DocketError) {
        guard !name.isEmpty else { throw .invalid(field, name, "the \(what) is empty; \(hint)") }
        guard name.utf8.count <= maxNameLength else {
            throw .invalid(field, name, "the \(what) is \(name.utf8.count) bytes long; the limit is \(maxNameLength)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field, name, "the \(what) \(name.debugDescription) contains control characters")
        }
    }

    static func validate(maxAttempts: Int) throws(DocketError) {
        guard (1...maxAttemptsLimit).contains(maxAttempts) else {
            throw .invalid(
                .maxAttempts, "\(maxAttempts)", "max attempts is \(maxAttempts); it must be between 1 and \(maxAttemptsLimit)")
        }
    }

    static func validate(timeout: Duration) throws(DocketError) {
        guard timeout > .zero else {
            throw .invalid(.timeout, "\(timeout)", "the timeout \(timeout) is not positive; give a timeout above zero")
        }
    }

    static func validate(priority: Int) throws(DocketError) {
        guard JobDefaults.priorityRange.contains(priority) else {
            throw .invalid(.priority, "\(priority)", "priority \(priority) is outside \(JobDefaults.priorityRange); 0 runs first")
        }
    }

    static func validate(uniqueKey: String) throws(DocketError) {
        guard !uniqueKey.isEmpty, uniqueKey.utf8.count <= maxUniqueKeyLength else {
            throw .invalid(
                .uniqueKey, uniqueKey, "the unique key must be 1 to \(maxUniqueKeyLength) bytes; it is \(uniqueKey.utf8.count)")
        }
    }

    static func validate(queue: String) throws(DocketError) {
        guard !queue.isEmpty, queue.utf8.count <= maxNameLength else {
            throw .invalid(.queue, queue, "the queue name must be 1 to \(maxNameLength) bytes; it is \(queue.utf8.count)")
        }
    }
}
