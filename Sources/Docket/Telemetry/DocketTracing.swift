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
/// When a job is scheduled, the scheduler asks the tracer to inject the calling task's trace
/// context (`InstrumentationContext.current`) into a carrier, for a W3C tracer its `traceparent`
/// and `tracestate`, and keeps those headers with the job in the journal. Each attempt then runs in
/// a span of kind `.consumer`, named `process <job name>`, that starts a trace of its own and links
/// to the scheduling one (whichever process runs it, and after restarts), with the attributes
/// `messaging.system` (`docket`), `messaging.operation.type` and `messaging.operation.name`
/// (`process`), `messaging.destination.name` (the queue), `messaging.message.id` (the job's id),
/// `docket.job.name` and `docket.job.attempt`. A thrown error is recorded on the span and sets its
/// status to error. The handler runs with the span's context as `InstrumentationContext.current`,
/// so its own spans are children of the attempt's; the headers are also in
/// ``JobContext/traceHeaders``.
///
/// Jobs that schedules create, and jobs scheduled outside a trace or by a scheduler without this
/// middleware, carry no headers: their spans have no link. With the default no-op tracer,
/// injection yields nothing and nothing is stored.
public final class DocketTracing: JobMiddleware {
    private let tracer: (any Tracer)?

    /// Spans of `tracer`, or of the bootstrapped `InstrumentationSystem.tracer` when nil: pass a
    /// tracer of your own (an `InMemoryTracer` in tests) to keep these apart from the process's.
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    private var currentTracer: any Tracer { tracer ?? InstrumentationSystem.tracer }

    /// The calling task's trace context as the journal keeps it, one `key=value` per line; nil
    /// outside a trace, or when the tracer injects nothing.
    func currentContextText() -> String? {
        guard let context = InstrumentationContext.current else { return nil }
        var carrier: [String: String] = [:]
        currentTracer.inject(context, into: &carrier, using: DictionaryInjector())
        return TraceHeaders.text(carrier)
    }

    /// Runs the attempt in its span.
    public func handle(_ attempt: JobAttempt, next: (JobContext) async throws -> Void) async throws {
        let context = attempt.context
        let tracer = currentTracer
        let span = tracer.startSpan("process \(context.name)", context: .topLevel, ofKind: .consumer)
        defer { span.end() }
        if !context.traceHeaders.isEmpty {
            var linked = InstrumentationContext.topLevel
            tracer.extract(context.traceHeaders, into: &linked, using: DictionaryExtractor())
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
    }
}

extension DocketTracing {
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

/// Trace propagation headers as the journal keeps them: one `key=value` per line, keys sorted.
/// Header names never hold `=` and header values never hold a line break, so the text reads back
/// exactly; a pair that would break that is left out.
enum TraceHeaders {
    static func text(_ headers: [String: String]) -> String? {
        let lines = headers.sorted { $0.key < $1.key }.compactMap { key, value -> String? in
            guard !key.isEmpty, !key.contains("="), !key.contains(where: \.isNewline), !value.contains(where: \.isNewline)
            else { return nil }
            return key + "=" + value
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    static func headers(_ text: String?) -> [String: String] {
        guard let text else { return [:] }
        var headers: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            headers[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return headers
    }
}
