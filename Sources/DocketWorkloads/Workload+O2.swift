import Docket
import DocketCore
import Foundation

/// O2 (Docket's own, for issue 12): how soon a running scheduler stops a handler whose job another
/// process cancelled. As O1, a second scheduler on the same file (never running) acts; here it
/// cancels running jobs one at a time, and each latency is from the cancel's commit to the
/// handler's task seeing its cancellation in the running scheduler.
extension OperatorWorkload {
    static func o2(_ options: Options, directory: String) async throws -> ResultRow {
        let count = options.jobs(for: .o2)
        let path = directory + "/o2.docket"
        let configuration = Harness.configuration(options, concurrency: 16)
        let open = try Harness.open(path: path, configuration)
        let scheduler = open.scheduler
        let started = StartTimes()
        let stopped = StartTimes()
        try scheduler.register(BenchJob.jobName) { (context: JobContext) in
            started.record(context.id)
            // Runs until cancelled, which is what the operator does to it.
            await withTaskCancellationHandler {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
            } onCancel: {
                stopped.record(context.id)
            }
        }
        let operatorSide = try JobScheduler(path: path, configuration: configuration)
        progress("O2: \(grouped(count)) jobs, each cancelled while it runs by a second scheduler")
        let clock = ContinuousClock()
        let latencies = try await Harness.whileRunning(scheduler) {
            try await scheduler.waitUntilRunning()
            var latencies: [Double] = []
            for index in 0..<count {
                let id = try await operatorSide.schedule(name: BenchJob.jobName, payload: BenchJob.payloadBytes(index: index)).id
                _ = try await started.wait(for: id)
                try await operatorSide.cancel(id)
                let committed = clock.now
                let stop = try await stopped.wait(for: id)
                latencies.append((stop - committed).seconds * 1000)
            }
            return latencies
        }
        await operatorSide.close()
        let counts = try await scheduler.counts()
        await Harness.close(open)
        var row = ResultRow(
            workload: "O2", jobs: count, seconds: latencies.reduce(0, +) / 1000, latencies: Percentiles(milliseconds: latencies),
            rssMB: Memory.peakMB(), durability: options.durabilityName, concurrency: 16,
            notes: "cancel of a running job by a second scheduler on the same journal (not running, own connections); latency = cancel committed -> handler's task cancelled (ms); change check every \(configuration.changeCheckInterval)")
        if counts[.cancelled] != count {
            row.violation = "O2: expected \(count) cancelled, journal has \(Harness.describe(counts))"
        }
        return row
    }
}
