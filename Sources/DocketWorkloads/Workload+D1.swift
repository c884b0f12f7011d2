import Docket
import Foundation

/// D1 (Docket's own, for issue 12): the bytes one job's life writes to disk. N jobs with a payload of
/// 100 B, then N with 8 KB, each set on a fresh journal: scheduled 100 per call, then run by a
/// scheduler to completion with a no-op handler, then the journal closed (its last checkpoint).
/// Bytes are the process's `wchar` from /proc/self/io (every byte handed to write(2): WAL frames,
/// checkpoints into the main file, the start log), so they do not depend on the file system's caching.
enum DiskWorkload {
    /// The payload sizes D1 measures, one row each.
    static let payloadSizes = [100, 8_192]

    static func d1(_ options: Options, payloadBytes: Int, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .d1)
        let path = directory + "/d1.docket"
        let configuration = Harness.configuration(options, concurrency: options.concurrency ?? SchedulerConfiguration().maxConcurrentJobs)
        let open = try Harness.open(path: path, configuration)
        let scheduler = open.scheduler
        try scheduler.register(BenchJob.jobName) { _ in }
        let payload = [UInt8](repeating: 0x61, count: payloadBytes)
        let watcher = CompletionWatcher(scheduler, target: count, label: "D1")

        let start = try WrittenBytes.read()
        var index = 0
        while index < count {
            let end = min(index + 100, count)
            try await scheduler.schedule((index..<end).map { _ in JobRequest(name: BenchJob.jobName, payload: payload) })
            index = end
        }
        let scheduled = try WrittenBytes.read()
        let clock = ContinuousClock()
        let runStart = clock.now
        _ = try await Harness.whileRunning(scheduler) { try await watcher.wait() }
        let seconds = (clock.now - runStart).seconds
        let ran = try WrittenBytes.read()
        let walBytes = FileSize.of(path + "-wal")
        let mainBytes = FileSize.of(path)
        let counts = try await scheduler.counts()
        await Harness.close(open)
        let closed = try WrittenBytes.read()

        let perJob = { (bytes: Int) in bytes / max(count, 1) }
        var row = ResultRow(
            workload: "D1", jobs: count, seconds: seconds, rssMB: Memory.peakMB(), durability: options.durabilityName,
            concurrency: configuration.maxConcurrentJobs,
            notes: "payload \(payloadBytes) B; bytes handed to write(2) per job (/proc/self/io wchar): "
                + "\(grouped(perJob(scheduled - start))) to schedule (100 per call), \(grouped(perJob(ran - scheduled))) to run "
                + "(claim + complete), \(grouped(perJob(closed - ran))) at close (last checkpoint); "
                + "after the run the journal was \(grouped(mainBytes)) B and its -wal \(grouped(walBytes)) B; seconds = the run")
        row.extra = [
            ("payload_bytes", payloadBytes), ("bytes_per_job", perJob(closed - start)),
            ("schedule_bytes_per_job", perJob(scheduled - start)), ("run_bytes_per_job", perJob(ran - scheduled)),
            ("close_bytes_per_job", perJob(closed - ran)), ("journal_bytes", mainBytes), ("wal_bytes", walBytes),
        ]
        if counts[.completed] != count {
            row.violation = "D1: expected \(count) completed jobs, journal has \(Harness.describe(counts))"
        }
        return row
    }
}

/// The bytes this process has handed to write(2) so far (Linux's /proc/self/io `wchar`).
enum WrittenBytes {
    static func read() throws -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") }),
            let value = Int(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces))
        else { throw WorkloadError("D1 reads /proc/self/io, which this system does not provide") }
        return value
    }
}

/// A file's size in bytes; 0 when it does not exist.
enum FileSize {
    static func of(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
