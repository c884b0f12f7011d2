/// Runs the fsync probe, then each requested workload on a fresh journal in its own temporary
/// directory, printing each row as soon as it is measured.
enum Runner {
    /// One measured row: a workload at one setting, Docket's or the baseline's.
    struct Step {
        var label: String
        var run: (_ directory: String) async throws -> ResultRow
    }

    /// Returns the exit code: 0, or 1 when a workload failed or a check did not hold.
    static func run(_ options: Options) async -> Int32 {
        var failed = false
        do {
            ResultOutput.emit(try await TemporaryDirectory.with { try FsyncProbe.run(directory: $0) })
        } catch {
            progress("the fsync probe failed: \(error)")
            failed = true
        }
        let clock = ContinuousClock()
        for workload in options.workloads {
            for step in steps(for: workload, options) {
                progress("\(step.label): starting")
                // Each row's rss_mb is its own peak, not an earlier workload's.
                Memory.startNewPeak()
                let start = clock.now
                do {
                    let row = try await TemporaryDirectory.with { try await step.run($0) }
                    ResultOutput.emit(row)
                    if let violation = row.violation {
                        progress("CHECK FAILED: \(violation)")
                        failed = true
                    }
                } catch {
                    progress("\(step.label) failed: \(error)")
                    failed = true
                }
                progress("\(step.label): done in \(fixed((clock.now - start).seconds)) s")
            }
        }
        return failed ? 1 : 0
    }

    /// `steps` `options.repeats` times over, in order: interleaved rounds of the same rows.
    private static func repeated(_ options: Options, _ steps: () -> [Step]) -> [Step] {
        (0..<options.repeats).flatMap { _ in steps() }
    }

    /// The rows a workload produces, in output order; each baseline row follows the Docket row it
    /// is compared with.
    static func steps(for workload: WorkloadID, _ options: Options) -> [Step] {
        switch workload {
        case .w1:
            return [
                Step(label: "W1 docket") { try await ScheduleWorkloads.w1(options, directory: $0) },
                Step(label: "W1 sqlite-baseline") { try await SQLiteBaseline.w1(options, directory: $0) },
            ]
        case .w1c:
            return [Step(label: "W1c docket") { try await ScheduleWorkloads.w1c(options, directory: $0) }]
        case .w1b:
            return [Step(label: "W1b docket") { try await ScheduleWorkloads.w1b(options, directory: $0) }]
        case .w2 where options.prunable > 0:
            return repeated(options) {
                DrainWorkload.concurrencies(options).flatMap { concurrency in
                    [0, options.prunable].map { prunable in
                        Step(label: "W2 docket c=\(concurrency) prunable=\(prunable)") {
                            try await DrainWorkload.w2(options, concurrency: concurrency, prunable: prunable, directory: $0)
                        }
                    }
                }
            }
        case .w2 where !options.processes.isEmpty:
            return repeated(options) {
                DrainWorkload.concurrencies(options).flatMap { concurrency in
                    options.processes.map { processes in
                        Step(label: "W2 docket c=\(concurrency) processes=\(processes)") {
                            try await ProcessesDrainWorkload.w2(options, processes: processes, concurrency: concurrency, directory: $0)
                        }
                    } + [
                        Step(label: "W2 sqlite-baseline c=\(concurrency)") {
                            try await SQLiteBaseline.w2(options, concurrency: concurrency, directory: $0)
                        }
                    ]
                }
            }
        case .w2:
            return repeated(options) {
                DrainWorkload.concurrencies(options).flatMap { concurrency in
                    [
                        Step(label: "W2 docket c=\(concurrency)") {
                            try await DrainWorkload.w2(options, concurrency: concurrency, directory: $0)
                        },
                        Step(label: "W2 sqlite-baseline c=\(concurrency)") {
                            try await SQLiteBaseline.w2(options, concurrency: concurrency, directory: $0)
                        },
                    ]
                }
            }
        case .w3:
            let prunables = options.prunable > 0 ? [0, options.prunable] : [0]
            return repeated(options) {
                prunables.map { prunable in
                    Step(label: "W3 docket prunable=\(prunable)") {
                        try await LatenessWorkload.w3(options, prunable: prunable, directory: $0)
                    }
                }
            }
        case .r1:
            return [false, true].map { legacy in
                Step(label: legacy ? "R1 docket (auto_vacuum none)" : "R1 docket") {
                    try await RetentionWorkload.r1(options, legacyVacuum: legacy, directory: $0)
                }
            }
        case .w4:
            return [Step(label: "W4 docket") { try await CrashWorkload.w4(options, directory: $0) }]
        case .w5:
            return [Step(label: "W5 docket") { try await ParkedWorkload.w5(options, directory: $0) }]
        case .w6:
            return [Step(label: "W6 docket") { try await RetryWorkload.w6(options, directory: $0) }]
        case .s1:
            return [Step(label: "S1 docket") { try await ScheduleWorkload.s1(options, directory: $0) }]
        case .o1:
            return [Step(label: "O1 docket") { try await OperatorWorkload.o1(options, directory: $0) }]
        case .o2:
            return [Step(label: "O2 docket") { try await OperatorWorkload.o2(options, directory: $0) }]
        case .d1:
            return DiskWorkload.payloadSizes.map { size in
                Step(label: "D1 docket payload=\(size)") { try await DiskWorkload.d1(options, payloadBytes: size, directory: $0) }
            }
        case .i1:
            return [Step(label: "I1 docket") { try await InspectionWorkload.i1(options, directory: $0) }]
        case .h1:
            return [Step(label: "H1 docket") { try await DashboardWorkload.h1(options, directory: $0) }]
        }
    }
}
