import DocketCore
import Tracing

/// Middleware that runs each attempt in a span of swift-distributed-tracing, linked to the trace
/// that scheduled the job.
///
/// Add it to ``SchedulerConfiguration/middleware``:
///
/// ```swift
/// var configuration = SchedulerConfiguration()
/// configuration.middleware = [DocketMetrics(), DocketTracing()]
/// ```
///
/// When a job is scheduled in this process, the scheduler asks the tracer to inject the calling
/// task's trace context (`InstrumentationContext.current`) into a carrier, for a W3C tracer its
/// `traceparent` and `tracestate`, and keeps it with the job's id. Each attempt then runs in a
/// span of kind `.consumer`, named `process <job name>`, that starts a trace of its own and links to
/// the scheduling one, with the attributes `messaging.system` (`docket`),
/// `messaging.operation.type` and `messaging.operation.name` (`process`),
/// `messaging.destination.name` (the queue), `messaging.message.id` (the job's id),
/// `docket.job.name` and `docket.job.attempt`. A thrown error is recorded on the span and sets its
/// status to error. The handler runs with the span's context as `InstrumentationContext.current`,
/// so its own spans are children of the attempt's.
///
/// The carriers are kept in memory only, for this round: a job scheduled by another process, or
/// before a restart, runs in a span without a link. At most ``maxRememberedContexts`` are kept, the
/// oldest forgotten first; a job's is forgotten once an attempt of it succeeds. With the default
/// no-op tracer, injection yields nothing and nothing is kept.
public final class DocketTracing: JobMiddleware {
    /// The most scheduling contexts kept at once.
    public static let maxRememberedContexts = 10_000

    private let tracer: (any Tracer)?
    // Guards the carriers of jobs scheduled in this process, by job id, in scheduling order.
    private let remembered = Locked(RememberedContexts())

    /// Spans of `tracer`, or of the bootstrapped `InstrumentationSystem.tracer` when nil: pass a
    /// tracer of your own (an `InMemoryTracer` in tests) to keep these apart from the process's.
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    private var currentTracer: any Tracer { tracer ?? InstrumentationSystem.tracer }

    /// Keeps the calling task's trace context for the jobs `ids` just scheduled, if it has one.
    func rememberCurrentContext(for ids: [JobID]) {
        guard !ids.isEmpty, let context = InstrumentationContext.current else { return }
        var carrier: [String: String] = [:]
        currentTracer.inject(context, into: &carrier, using: DictionaryInjector())
        guard !carrier.isEmpty else { return }
        remembered.withLock { $0.keep(carrier, for: ids, limit: Self.maxRememberedContexts) }
    }

    /// Runs the attempt in its span.
    public func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
        let context = attempt.context
        let tracer = currentTracer
        let span = tracer.startSpan("process \(context.name)", context: .topLevel, ofKind: .consumer)
        defer { span.end() }
        if let carrier = remembered.withLock({ $0.carriers[context.id] }) {
            var linked = InstrumentationContext.topLevel
            tracer.extract(carrier, into: &linked, using: DictionaryExtractor())
            span.addLink(SpanLink(context: linked, attributes: [:]))
        }
        span.attributes["messaging.system"] = "docket"
        span.attributes["messaging.operation.type"] = "process"
        span.attributes["messaging.operation.name"] = "process"
        span.attributes["messaging.destination.name"] = context.queue
        span.attributes["messaging.message.id"] = "\(context.id)"
        span.attributes["docket.job.name"] = context.name
        span.attributes["docket.job.attempt"] = context.attempt
        do {
            try await InstrumentationContext.$current.withValue(span.context) {
                try await next(context)
            }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
        if !Task.isCancelled {
            remembered.withLock { $0.forget(context.id) }
        }
    }
}

extension DocketTracing {
    /// The trace carriers of jobs scheduled in this process, oldest first, bounded.
    struct RememberedContexts {
        var carriers: [JobID: [String: String]] = [:]
        /// Ids in the order their carriers were kept, from `head` on; forgotten ids stay until
        /// passed, and are skipped then.
        private var order: [JobID] = []
        private var head = 0

        mutating func keep(_ carrier: [String: String], for ids: [JobID], limit: Int) {
            for id in ids {
                carriers[id] = carrier
                order.append(id)
            }
            while carriers.count > limit, head < order.count {
                carriers.removeValue(forKey: order[head])
                head += 1
            }
            // The order holds forgotten ids too, so it is compacted to the kept ones once it is
            // twice the limit, and its passed head dropped once that is the limit.
            if order.count - head > 2 * limit {
                order = order[head...].filter { carriers[$0] != nil }
                head = 0
            } else if head > limit {
                order.removeFirst(head)
                head = 0
            }
        }

        mutating func forget(_ id: JobID) {
            carriers.removeValue(forKey: id)
        }
    }

    /// Writes a tracer's values into a dictionary carrier.
    struct DictionaryInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }
    }

    /// Reads a tracer's values from a dictionary carrier.
    struct DictionaryExtractor: Extractor {
        func extract(key: String, from carrier: [String: String]) -> String? {
            carrier[key]
        }
    }
}
