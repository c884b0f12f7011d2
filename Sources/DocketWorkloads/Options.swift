import Docket

/// The workloads of BENCHMARKS.md, in the order `all` runs them.
enum WorkloadID: String, CaseIterable, Sendable {
    case w1 = "W1"
    case w1c = "W1c"
    case w1b = "W1b"
    case w2 = "W2"
    case w3 = "W3"
    case w4 = "W4"
    case w5 = "W5"
    case w6 = "W6"
    case s1 = "S1"
    case o1 = "O1"
    case o2 = "O2"
    case r1 = "R1"
    case d1 = "D1"
    case i1 = "I1"
    case h1 = "H1"

    /// N when `--jobs` is not given; for W5 the number of parked jobs.
    var defaultJobs: Int {
        switch self {
        case .w3: 20_000
        case .w4: 2_000
        case .w5, .i1, .h1: 1_000_000
        case .s1: 10_000
        case .o1, .o2: 200
        case .d1: 2_000
        default: 100_000
        }
    }
}

/// What the command line asked for.
struct Options: Sendable {
    var workloads: [WorkloadID] = []
    var jobs: Int?
    var durability: Durability = .full
    /// Nil keeps each workload's default (W2 then runs at 16 and at 64, W1c with 64 callers).
    var concurrency: Int?
    var seed: UInt64 = 1
    /// S1's rounds: each steps the wall clock a minute and fires every schedule once.
    var rounds = 5
    /// S1's schedules are created through the API at run time instead of declared in code.
    var createdSchedules = false
    /// W2 and W3 also run on a journal prefilled with this many ended jobs past their retention,
    /// each right after the same workload on a journal without them; 0 runs only the latter.
    var prunable = 0
    /// How many times each W2/W3 pair (or row) runs, interleaved.
    var repeats = 1
    /// Every scheduler runs with `DocketMetrics` as its middleware; no metrics backend is bootstrapped.
    var metrics = false
    /// W5: where the parked journal is kept between runs (parked there when missing, copied from
    /// there when present), so that a large one is parked once.
    var parkedJournal: String?
    /// W2 declares this many queues (`q0`, `q1`, …), each limited to the concurrency, and spreads its
    /// jobs over them in turn; 0 declares none.
    var queues = 0
    /// W2 runs with a dashboard serving its journal and a client that watches it as two open
    /// browser tabs do (``DashboardWatcher``).
    var dashboard = false
    /// W2 runs once per entry with that many processes on one journal (``ProcessesDrainWorkload``)
    /// instead of in this process; empty runs it here.
    var processes: [Int] = []

    var durabilityName: String { durability == .full ? "full" : "normal" }

    func jobs(for workload: WorkloadID) -> Int { jobs ?? workload.defaultJobs }
}

/// What a W4 child process is told; the parent passes its own options along.
struct W4ChildArguments: Sendable {
    var journal: String
    var log: String
    var options: Options
}

enum Invocation {
    case run(Options)
    case w4Child(W4ChildArguments)
    case w2Child(journal: String, options: Options)
    case help
}

/// A command line the runner cannot use; printed on stderr with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

enum CommandLineParser {
    static let usage = """
        usage: docket-workloads --workload ID [--workload ID ...] [--jobs N] [--durability full|normal]
                                [--concurrency K] [--seed S] [--rounds R] [--created-schedules]
                                [--prunable P] [--repeat K] [--metrics] [--parked-journal PATH] [--queues Q]
                                [--dashboard] [--processes N[,N...]]
          ID is one of \(WorkloadID.allCases.map(\.rawValue).joined(separator: ", ")), or all
          defaults: N = 100000 (W3 20000, W4 2000, W5 1000000 parked, S1 10000 schedules, D1 2000 per payload size, I1 1000000, H1 1000000), durability full,
                    concurrency 16 (W2 runs at 16 and at 64; W1c uses 64 callers), seed 1,
                    rounds 5 (S1: one minute of firings each); S1 declares its schedules in
                    code unless --created-schedules makes it create them through the API;
                    --prunable P: W2 and W3 run again right after each row on a journal holding P
                    ended jobs past retention (R1 prunes N of them with prune()); --repeat K runs
                    each W2/W3 row (or pair) K times, interleaved;
                    --metrics runs the schedulers with DocketMetrics (no metrics backend);
                    --parked-journal PATH: W5 parks its jobs in PATH if it does not exist and keeps
                    it, or copies it from there if it does (it must hold N parked jobs);
                    --queues Q: W2 declares Q queues, each limited to the concurrency, its jobs
                    spread over them in turn;
                    --dashboard: W2 runs while a dashboard serves its journal (a second scheduler of
                    the file, as docket web) on 127.0.0.1 and a client watches it as two browser
                    tabs do (the overview and the jobs page, each fetched again every 2 s);
                    --processes N[,N...]: W2 runs once per N with N processes on one journal, each a
                    scheduler with the concurrency (per process), instead of in this process
        """

    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = Options()
        var child: (journal: String, log: String)?
        var w2Child: String?
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            // Both `--flag value` and `--flag=value` are accepted.
            let (flag, inlineValue) = split(argument)
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
                return next
            }
            switch flag {
            case "--help", "-h":
                return .help
            case "--workload":
                try addWorkloads(value(), to: &options)
            case "--jobs":
                options.jobs = try positiveInteger(value(), flag: flag, limit: 100_000_000)
            case "--concurrency":
                options.concurrency = try positiveInteger(value(), flag: flag, limit: 10_000)
            case "--durability":
                switch try value().lowercased() {
                case "full": options.durability = .full
                case "normal": options.durability = .normal
                case let other: throw UsageError(description: "--durability must be full or normal, not '\(other)'")
                }
            case "--rounds":
                options.rounds = try positiveInteger(value(), flag: flag, limit: 10_000)
            case "--prunable":
                options.prunable = try positiveInteger(value(), flag: flag, limit: 100_000_000)
            case "--repeat":
                options.repeats = try positiveInteger(value(), flag: flag, limit: 100)
            case "--created-schedules":
                options.createdSchedules = true
            case "--metrics":
                options.metrics = true
            case "--dashboard":
                options.dashboard = true
            case "--parked-journal":
                options.parkedJournal = try value()
            case "--queues":
                options.queues = try positiveInteger(value(), flag: flag, limit: 1_000)
            case "--processes":
                options.processes = try value().split(separator: ",", omittingEmptySubsequences: false).map {
                    (part) throws(UsageError) in try positiveInteger(String(part), flag: flag, limit: 64)
                }
            case "--w2-child":
                // Hidden: W2 with --processes starts this executable again as its children.
                w2Child = try value()
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text) else {
                    throw UsageError(description: "--seed must be an unsigned 64-bit integer, not '\(text)'")
                }
                options.seed = seed
            case "--w4-child":
                // Hidden: the W4 parent starts this executable again as its child.
                let journal = try value()
                guard let log = remaining.popFirst() else { throw UsageError(description: "--w4-child needs JOURNAL LOGFILE") }
                child = (journal, log)
            default:
                throw UsageError(description: "unknown argument '\(argument)'")
            }
        }
        if let w2Child {
            return .w2Child(journal: w2Child, options: options)
        }
        if let child {
            return .w4Child(W4ChildArguments(journal: child.journal, log: child.log, options: options))
        }
        guard !options.workloads.isEmpty else {
            throw UsageError(description: "no workload given: pass --workload ID (repeatable) or --workload all")
        }
        return .run(options)
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func addWorkloads(_ text: String, to options: inout Options) throws(UsageError) {
        let requested: [WorkloadID]
        if text.lowercased() == "all" {
            requested = WorkloadID.allCases
        } else if let workload = WorkloadID.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) {
            requested = [workload]
        } else {
            let known = WorkloadID.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError(description: "unknown workload '\(text)': use one of \(known), or all")
        }
        // Asking twice for a workload runs it once, in the order first asked.
        for workload in requested where !options.workloads.contains(workload) {
            options.workloads.append(workload)
        }
    }

    private static func positiveInteger(_ text: String, flag: String, limit: Int) throws(UsageError) -> Int {
        guard let number = Int(text), number >= 1, number <= limit else {
            throw UsageError(description: "\(flag) must be an integer from 1 to \(limit), not '\(text)'")
        }
        return number
    }
}
