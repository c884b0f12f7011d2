import Foundation

/// How long the disk under the temporary directory takes to make a small append durable: the floor
/// under every `.full` commit, printed first so that each run's rows can be read against it.
enum FsyncProbe {
    static let samples = 200
    static let recordSize = 64

    static func run(directory: String) throws -> ResultRow {
        let path = directory + "/fsync-probe"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw WorkloadError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let record = [UInt8](repeating: UInt8(ascii: "x"), count: recordSize)
        let clock = ContinuousClock()
        var latencies: [Double] = []
        let start = clock.now
        for _ in 0..<samples {
            let written = record.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == recordSize else { throw WorkloadError("short write to \(path)") }
            let syncStart = clock.now
            guard fdatasync(descriptor) == 0 else {
                throw WorkloadError("fdatasync failed on \(path): \(String(cString: strerror(errno)))")
            }
            latencies.append((clock.now - syncStart).milliseconds)
        }
        let elapsed = clock.now - start
        let percentiles = Percentiles(milliseconds: latencies)
        return ResultRow(
            system: "probe", workload: "fsync", jobs: samples, seconds: elapsed.seconds, latencies: percentiles,
            rssMB: nil, durability: nil, concurrency: nil,
            notes: "median fdatasync \(fixed(percentiles?.p50 ?? 0, 3)) ms: \(samples) appends of \(recordSize) bytes, "
                + "each followed by fdatasync, in \(FileManager.default.temporaryDirectory.path); jobs = appends")
    }
}
