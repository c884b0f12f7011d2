import Foundation

/// p50, p99 and max of a set of latencies, in milliseconds.
struct Percentiles: Sendable {
    var p50: Double
    var p99: Double
    var max: Double

    /// Nearest-rank percentiles; nil for no samples.
    init?(milliseconds samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func rank(_ fraction: Double) -> Double {
            let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.min(Swift.max(index, 0), sorted.count - 1)]
        }
        p50 = rank(0.50)
        p99 = rank(0.99)
        max = sorted[sorted.count - 1]
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var milliseconds: Double { seconds * 1_000 }
}

/// The process's resident memory, from /proc/self/status (Linux).
enum Memory {
    /// Peak resident memory (VmHWM) in MB, or nil where /proc is not available.
    static func peakMB() -> Double? { statusField("VmHWM") }

    /// Current resident memory (VmRSS) in MB.
    static func currentMB() -> Double? { statusField("VmRSS") }

    /// Gives freed heap back to the system and restarts the peak from the current size, so that a
    /// workload's `rss_mb` is not the peak of an earlier workload in the same process.
    ///
    /// - Returns: whether the peak was reset (writing 5 to clear_refs needs Linux 4.0 or later).
    @discardableResult
    static func startNewPeak() -> Bool {
        trimHeap()
        let descriptor = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return write(descriptor, "5", 1) == 1
    }

    /// glibc's `malloc_trim(0)`, looked up at run time: the Glibc module does not export malloc.h,
    /// and other C libraries lack the function.
    private static func trimHeap() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    private static func statusField(_ name: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            // "VmHWM:	   41236 kB"
            let digits = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            return digits.first.map { $0 / 1024 }
        }
        return nil
    }
}

/// Formats counts and rates for notes: 100000 → "100,000".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}

/// A number with a fixed count of decimals, for notes.
func fixed(_ value: Double, _ decimals: Int = 1) -> String {
    String(format: "%.\(decimals)f", value)
}

/// CPU time the whole process has used (user + system, every thread), for CPU cost per job.
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
