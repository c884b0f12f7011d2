import Docket
import DocketTesting
import Foundation
import Synchronization
import Testing

/// A burst of jobs fills a real (small) file system until `schedule` reports the disk full; freeing
/// about the size of that burst must let every acknowledged job run and every outcome land.
///
/// Needs to mount a 4 MB tmpfs; skipped where the process may not (not root, no CAP_SYS_ADMIN).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FullDiskRecoveryTests {
    /// Room taken before the burst, in pieces, so that about the burst's size can be given back.
    static let fillerPieces = 32
    static let fillerPieceBytes = 64 * 1_024
    static let payloadBytes = 8 * 1_024

    private struct Retried: Error, CustomStringConvertible {
        var description: String { "the first attempt of every fourth job fails, to leave an attempt row to record" }
    }

    /// The payload of the burst's job `index`: its index in the first bytes, so a mix-up shows.
    static func payload(_ index: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: payloadBytes)
        withUnsafeBytes(of: Int64(index).littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        return bytes
    }

    static func index(of payload: [UInt8]) -> Int? {
        guard payload.count == payloadBytes else { return nil }
        let index = Int(payload[0..<8].withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) })
        return payload == Self.payload(index) ? index : nil
    }

    @Test(.enabled(if: SmallFileSystem.canMount, "mounting a 4 MB tmpfs needs root or CAP_SYS_ADMIN"))
    func aBurstThatFilledTheDiskLandsOnceItsSizeIsFreed() async throws {
        let disk = try SmallFileSystem(bytes: 4 * 1_024 * 1_024)
        defer { disk.unmount() }
        var filler = try disk.fill(prefix: "filler", count: Self.fillerPieces, bytes: Self.fillerPieceBytes)

        let logs = LogCapture()
        var configuration = SchedulerConfiguration()
        configuration.logger = logs.logger
        configuration.pollInterval = .milliseconds(50)
        let scheduler = try JobScheduler(path: disk.file("jobs.docket"), configuration: configuration)
        let gate = Gate()
        let wrongPayloads = Atomic<Int>(0)
        try scheduler.register("burst", options: HandlerOptions(retry: .strategy(.fixed(.milliseconds(1))))) { context in
            await gate.wait()
            guard let index = Self.index(of: context.payload) else {
                wrongPayloads.add(1, ordering: .relaxed)
                return
            }
            if index % 4 == 0 && context.attempt == 1 { throw Retried() }
        }
        let runner = Task { try await scheduler.run() }
        try await scheduler.waitUntilRunning()

        // The burst: one job per call, as an application would, until the disk is full. The first
        // ones are claimed and wait at the gate; the rest stay scheduled.
        var acknowledged: [JobID] = []
        var full = false
        while !full && acknowledged.count < 10_000 {
            do {
                acknowledged.append(try await scheduler.schedule(name: "burst", payload: Self.payload(acknowledged.count)).id)
            } catch {
                guard case .storage(let failure) = error, failure.kind == .diskFull else { throw error }
                full = true
            }
        }
        #expect(full, "10,000 jobs of 8 KB fit a 4 MB file system")
        let burstBytes = acknowledged.count * Self.payloadBytes
        #expect(acknowledged.count > 16, "the disk was full after \(acknowledged.count) jobs")

        // What can run on the full disk runs, until it ends or a commit fails for lack of room.
        gate.open()
        while try await scheduler.counts()[.completed] < acknowledged.count,
            !logs.records.contains(where: { $0.message.contains("could not write to the journal") })
        {
            try await Task.sleep(for: .milliseconds(10))
        }

        // Free about the burst's size: the fewest filler pieces that add up to it.
        let pieces = min(filler.count, (burstBytes + Self.fillerPieceBytes - 1) / Self.fillerPieceBytes)
        for path in filler.prefix(pieces) { try FileManager.default.removeItem(atPath: path) }
        filler.removeFirst(pieces)
        let freed = pieces * Self.fillerPieceBytes
        #expect(Double(freed) <= Double(burstBytes) * 1.1 + Double(Self.fillerPieceBytes), "freed \(freed) B for a \(burstBytes) B burst")

        // Every acknowledged job completes; the wait ends on the journal's state, never on a timer.
        while try await scheduler.counts()[.completed] < acknowledged.count {
            try await Task.sleep(for: .milliseconds(10))
        }
        let counts = try await scheduler.counts()
        #expect(counts[.completed] == acknowledged.count && counts.total == acknowledged.count, "\(counts)")
        for (index, id) in acknowledged.enumerated() {
            let job = try #require(try await scheduler.job(id))
            let expected: [Job.Attempt.Outcome?] = index % 4 == 0 ? [.retried, .completed] : [.completed]
            #expect(job.state == .completed && job.attempts.map(\.outcome) == expected, "job \(index): \(job.attempts)")
        }
        #expect(wrongPayloads.load(ordering: .relaxed) == 0)
        runner.cancel()
        try await runner.value
        await scheduler.close()
    }
}
