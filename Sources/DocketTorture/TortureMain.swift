import Docket
import Foundation
import ProcessSupport

/// The crash-torture child. A parent test starts it, reads its `phase:` markers, kills it with SIGKILL
/// at chosen moments and starts it again on the same journal.
///
/// ```
/// DocketTorture run --journal PATH --log PATH --seed S --round R --jobs N --kills-per-round K [--stop-after M]
///                   [--role whole|prepare|peer]
/// DocketTorture crash --journal PATH --max-attempts N
/// DocketTorture writer --journal PATH --first I --count N
/// DocketTorture schedules --journal PATH --origin MICROSECONDS --speed F --until N
/// DocketTorture hold --journal PATH --release PATH [--lease-ms N] [--poll-ms N]
/// ```
///
/// Exit codes: 0 done, 3 stopped early as asked (`--stop-after`), 1 Docket failed, 2 bad arguments.
@main
struct TortureMain {
    static func main() async {
        let arguments = Arguments(CommandLine.arguments)
        do {
            switch arguments.mode {
            case "run":
                let child = try TortureChild(options: try arguments.runOptions())
                exit(try await child.run())
            case "crash":
                exit(try await CrashingChild.run(
                    journal: try arguments.string("--journal"), maxAttempts: try arguments.integer("--max-attempts")))
            case "writer":
                exit(try await WriterChild.run(
                    journal: try arguments.string("--journal"), first: try arguments.integer("--first"),
                    count: try arguments.integer("--count")))
            case "schedules":
                exit(try await ScheduleChild.run(
                    journal: try arguments.string("--journal"), origin: try arguments.integer("--origin"),
                    speed: try arguments.integer("--speed"), until: try arguments.integer("--until")))
            case "hold":
                exit(try await HoldingChild.run(
                    journal: try arguments.string("--journal"), release: try arguments.string("--release"),
                    leaseMilliseconds: try arguments.optionalInteger("--lease-ms"),
                    pollMilliseconds: try arguments.optionalInteger("--poll-ms")))
            default:
                throw TortureError("unknown mode '\(arguments.mode)': use run, crash, writer, schedules or hold")
            }
        } catch let error as TortureError {
            printLine("error: \(error)")
            exit(2)
        } catch {
            printLine("error: \(error)")
            exit(1)
        }
    }
}

/// `--flag value` pairs after the mode.
struct Arguments {
    let mode: String
    private let values: [String: String]

    init(_ arguments: [String]) {
        mode = arguments.count > 1 ? arguments[1] : ""
        var values: [String: String] = [:]
        var index = 2
        while index + 1 < arguments.count {
            values[arguments[index]] = arguments[index + 1]
            index += 2
        }
        self.values = values
    }

    func string(_ flag: String) throws(TortureError) -> String {
        guard let value = values[flag] else { throw TortureError("\(flag) is missing: give \(flag) VALUE") }
        return value
    }

    func optionalInteger(_ flag: String) throws(TortureError) -> Int? {
        values[flag] == nil ? nil : try integer(flag)
    }

    func integer(_ flag: String) throws(TortureError) -> Int {
        let text = try string(flag)
        guard let value = Int(text) else { throw TortureError("\(flag) is '\(text)', not a whole number") }
        return value
    }

    func runOptions() throws(TortureError) -> TortureChild.Options {
        let seedText = try string("--seed")
        guard let seed = UInt64(seedText) else { throw TortureError("--seed is '\(seedText)', not a UInt64") }
        return TortureChild.Options(
            journal: try string("--journal"), log: try string("--log"), seed: seed, round: try integer("--round"),
            jobs: try integer("--jobs"), killsPerRound: try integer("--kills-per-round"),
            stopAfter: values["--stop-after"].flatMap { Int($0) }, role: try role())
    }

    private func role() throws(TortureError) -> TortureChild.Role {
        guard let text = values["--role"] else { return .whole }
        guard let role = TortureChild.Role(rawValue: text) else {
            throw TortureError("--role is '\(text)': use whole, prepare or peer")
        }
        return role
    }
}
