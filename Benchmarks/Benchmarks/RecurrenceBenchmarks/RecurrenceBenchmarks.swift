// Recurring schedules: the cost of one next-firing computation, `CronExpression.nextFiring(after:in:)`
// and `RecurrenceRuleSet.nextFiring(after:in:)`, and of parsing each kind of schedule once.
//
// - nextFiring: each iteration starts at 2026-01-01T00:00:00Z and asks for 1,000 successive firings,
//   each result fed back as the next `after` (as a scheduler computes a recurring job's next run after
//   each one), so every call is a fresh search from one instant, and every iteration repeats the same
//   1,000 calls. The scaling factor is 1,000: figures are per call. The schedule and the zone are built
//   in the setup, outside the measurement.
// - zone: the two lookups the New York figures are made of, `SystemZoneRules.offset(atUTC:)` and
//   `nextTransition(afterUTC:)`, at 1,000 instants one day apart; figures per lookup.
// - parse: 1,000 parses of the same text per iteration (`CronExpression(text)`,
//   `RecurrenceRuleSet.parse(text)`); figures per parse.
//
// Zones: `utc` is `FixedZoneRules.utc` (no transitions); `newyork` is
// `SystemZoneRules(identifier: "America/New_York")`, backed by `Foundation.TimeZone`. The daily New York
// walks (1,000 days, to September 2028) cross five daylight-saving changes, and cron's 02:30 falls in
// each spring-forward gap; the five-minute cron's 1,000 firings span three and a half days of January
// and cross none. `@every` reads no zone.
//
// Metrics: wall clock, throughput, mallocs. CPU time (`cpuTotal`) is left out: on Linux the tool reads
// it in 10 ms ticks, as long as or longer than a whole iteration here (6 µs to about 20 ms), so per call
// it reads 0, 10 or 20 µs. The work is single-threaded, so wall clock stands for CPU time.
//
// Names are `operation.kind.schedule.zone`, e.g. `nextFiring.cron.daily.utc` (dots, never spaces: see
// ../../README.md). Only `mallocCountTotal` has a threshold; times are reported, never asserted.

import Benchmark
import Docket
import DocketCore

/// 2026-01-01T00:00:00Z, in seconds: where every walk of firings starts.
let origin: Int64 = 1_767_225_600

/// Metrics and thresholds of every recurrence benchmark: 1,000 calls per iteration.
func recurrenceConfiguration() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 1_000,
        // Single-threaded, and every iteration makes the same calls: the count is exact, so only a
        // sliver of slack (the benchmark harness's own threads may allocate now and then). One more
        // allocation per call is 1,000 more per iteration.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 16])]
    )
}

/// A zone of the benchmarks, named as their names say.
enum ZoneChoice {
    case utc
    case newYork

    var label: String {
        switch self {
        case .utc: "utc"
        case .newYork: "newyork"
        }
    }
}

/// New York's rules; the benchmarks cannot run without tzdata.
func newYork() -> SystemZoneRules {
    do {
        return try SystemZoneRules(identifier: "America/New_York")
    } catch {
        fatalError("\(error)")
    }
}

/// A schedule whose next firing the benchmarks measure.
protocol Recurring: Sendable {
    func nextFiring(after instantUTC: Int64, in zone: some ZoneRules) -> Int64?
}

extension CronExpression: Recurring {}
extension RecurrenceRuleSet: Recurring {}

/// Registers a benchmark whose iteration is 1,000 successive firings of `schedule` in `zone`.
func registerWalk<Schedule: Recurring>(
    _ name: String, _ zone: ZoneChoice, _ schedule: @escaping @Sendable () -> Schedule
) {
    switch zone {
    case .utc: registerWalk(name, in: FixedZoneRules.utc, schedule)
    case .newYork: registerWalk(name, in: newYork(), schedule)
    }
}

func registerWalk<Schedule: Recurring, Rules: ZoneRules>(
    _ name: String, in zone: Rules, _ schedule: @escaping @Sendable () -> Schedule
) {
    Benchmark(name, configuration: recurrenceConfiguration()) { benchmark, schedule in
        var after = origin
        for _ in benchmark.scaledIterations {
            guard let firing = schedule.nextFiring(after: after, in: zone) else { fatalError("\(name): the schedule ended") }
            precondition(firing > after, "\(name): a firing at \(firing) is not after \(after)")
            after = firing
        }
        blackHole(after)
    } setup: {
        schedule()
    }
}

/// Registers the walk of a cron expression (`@every` ones are named without a zone).
func registerCron(_ label: String, _ text: String, _ zone: ZoneChoice) {
    let name = "nextFiring.cron.\(label)" + (text.hasPrefix("@every") ? "" : ".\(zone.label)")
    registerWalk(name, zone) {
        do {
            return try CronExpression(text, anchor: origin)
        } catch {
            fatalError("\(error)")
        }
    }
}

/// Registers the walk of an RFC 5545 schedule.
func registerRule(_ label: String, _ text: String, _ zone: ZoneChoice) {
    registerWalk("nextFiring.rrule.\(label).\(zone.label)", zone) {
        do {
            return try RecurrenceRuleSet.parse(text)
        } catch {
            fatalError("\(error)")
        }
    }
}

/// The start of the RFC 5545 schedules in UTC: a wall time, resolved in `FixedZoneRules.utc`.
let utcStart = "DTSTART:20260101T000000"

/// Every day at 09:00 in New York.
let daily9Text = "DTSTART;TZID=America/New_York:20260101T090000\nRRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0"

/// A schedule with additions and exclusions among its 1,000 firings (333 weeks from 2026): the
/// rule's occurrences go through the `EXDATE` set and the `RDATE` buffer.
let exdateRdateText = """
    DTSTART:20260101T090000
    RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR
    RDATE:20260103T090000,20260704T120000,20271225T080000,20300101T000000
    EXDATE:20260105T090000,20260703T090000,20271224T090000,20291231T090000
    """

let benchmarks: @Sendable () -> Void = {
    // Cron: one fixed wall time a day, in UTC and across New York's daylight-saving changes.
    registerCron("daily", "30 2 * * *", .utc)
    registerCron("daily", "30 2 * * *", .newYork)
    // Real-time spacing (`*` in the minute field): a search per stretch of constant offset.
    registerCron("every5min", "*/5 * * * *", .newYork)
    // Both day fields restricted: the 1st or any Monday (Vixie's rule).
    registerCron("day1-or-monday", "0 12 1 * MON", .utc)
    registerCron("last-day", "0 0 L * *", .utc)
    registerCron("first-monday", "0 9 * * MON#1", .utc)
    // A fixed interval: arithmetic only, no zone.
    registerCron("every90s", "@every 90s", .utc)

    // RFC 5545 schedules.
    registerRule("daily9", daily9Text, .newYork)
    registerRule("last-friday", "\(utcStart)\nRRULE:FREQ=MONTHLY;BYDAY=-1FR", .utc)
    registerRule("feb29", "\(utcStart)\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", .utc)
    registerRule("every15min", "\(utcStart)\nRRULE:FREQ=MINUTELY;INTERVAL=15", .utc)
    registerRule("exdate-rdate", exdateRdateText, .utc)

    // The zone lookups the New York figures are made of, one per call, at instants one day apart.
    Benchmark("zone.offset.newyork", configuration: recurrenceConfiguration()) { benchmark, zone in
        var instant = origin
        for _ in benchmark.scaledIterations {
            blackHole(zone.offset(atUTC: instant))
            instant += 86_400
        }
    } setup: {
        newYork()
    }
    Benchmark("zone.nextTransition.newyork", configuration: recurrenceConfiguration()) { benchmark, zone in
        var instant = origin
        for _ in benchmark.scaledIterations {
            blackHole(zone.nextTransition(afterUTC: instant))
            instant += 86_400
        }
    } setup: {
        newYork()
    }

    // Parsing, once per call.
    Benchmark("parse.cron.daily", configuration: recurrenceConfiguration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CronExpression("30 2 * * *"))
        }
    }
    Benchmark("parse.rrule.daily9", configuration: recurrenceConfiguration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RecurrenceRuleSet.parse(daily9Text))
        }
    }
}
