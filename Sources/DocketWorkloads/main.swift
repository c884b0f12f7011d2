import Foundation

// The workload runner of BENCHMARKS.md: one JSON object per line on stdout, progress on stderr.
// Exit codes: 0 all rows measured and checked, 1 a workload failed or a check did not hold, 2 a bad
// command line.

let invocation: Invocation
do {
    invocation = try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    writeAll("docket-workloads: \(error)\n\(CommandLineParser.usage)\n", to: STDERR_FILENO)
    exit(2)
}

switch invocation {
case .help:
    writeAll(CommandLineParser.usage + "\n", to: STDOUT_FILENO)
    exit(0)
case .w4Child(let arguments):
    exit(await W4Child.main(arguments))
case .w2Child(let journal, let options):
    exit(await W2Child.main(journal: journal, options: options))
case .run(let options):
    exit(await Runner.run(options))
}
