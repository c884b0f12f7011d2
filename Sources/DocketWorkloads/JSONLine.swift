import Foundation

/// One result row: the JSON object BENCHMARKS.md defines, with its fields in the spec's order.
struct ResultRow: Sendable {
    var system: String
    var workload: String
    var jobs: Int?
    var seconds: Double?
    var p50: Double?
    var p99: Double?
    var max: Double?
    var rssMB: Double?
    var durability: String?
    var concurrency: Int?
    var notes: String
    /// Fields after `notes` (W4's `lost` and `duplicates`), in order.
    var extra: [(name: String, value: Int)] = []
    /// A check the workload failed; the row is still printed, and the runner exits non-zero.
    var violation: String?

    init(
        system: String = "docket", workload: String, jobs: Int?, seconds: Double?, latencies: Percentiles? = nil,
        rssMB: Double?, durability: String?, concurrency: Int?, notes: String
    ) {
        self.system = system
        self.workload = workload
        self.jobs = jobs
        self.seconds = seconds
        self.p50 = latencies?.p50
        self.p99 = latencies?.p99
        self.max = latencies?.max
        self.rssMB = rssMB
        self.durability = durability
        self.concurrency = concurrency
        self.notes = notes
    }

    /// `jobs / seconds`, as the spec defines `jobs_per_s`.
    var jobsPerSecond: Double? {
        guard let jobs, let seconds, seconds > 0 else { return nil }
        return Double(jobs) / seconds
    }

    /// The row as one line of JSON, without the newline.
    var jsonLine: String {
        var fields: [(String, String)] = [
            ("system", JSON.string(system)),
            ("workload", JSON.string(workload)),
            ("jobs", JSON.integer(jobs)),
            ("seconds", JSON.number(seconds, decimals: 3)),
            ("jobs_per_s", JSON.number(jobsPerSecond, decimals: 1)),
            ("p50_ms", JSON.number(p50, decimals: 3)),
            ("p99_ms", JSON.number(p99, decimals: 3)),
            ("max_ms", JSON.number(max, decimals: 3)),
            ("rss_mb", JSON.number(rssMB, decimals: 1)),
            ("durability", durability.map(JSON.string) ?? "null"),
            ("concurrency", JSON.integer(concurrency)),
            ("notes", JSON.string(notes)),
        ]
        fields += extra.map { ($0.name, JSON.integer($0.value)) }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// Writes result lines to stdout, which carries nothing else.
enum ResultOutput {
    static func emit(_ row: ResultRow) {
        // Written straight to the descriptor so that a line is out even if a later workload crashes.
        writeAll(row.jsonLine + "\n", to: STDOUT_FILENO)
    }
}

/// The few JSON encodings the rows need.
enum JSON {
    static func integer(_ value: Int?) -> String {
        value.map(String.init) ?? "null"
    }

    /// A fixed-point number; NaN and infinities, which JSON cannot hold, become null.
    static func number(_ value: Double?, decimals: Int) -> String {
        guard let value, value.isFinite else { return "null" }
        return String(format: "%.\(decimals)f", value)
    }

    /// A JSON string literal, escaping what RFC 8259 requires.
    static func string(_ text: String) -> String {
        text.jsonLiteral
    }
}

/// Writes every byte of `text` to `descriptor`, retrying short writes and interruptions.
func writeAll(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, base + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// Progress and diagnostics go to stderr, so that stdout stays one JSON object per line.
func progress(_ message: String) {
    writeAll("docket-workloads: \(message)\n", to: STDERR_FILENO)
}
