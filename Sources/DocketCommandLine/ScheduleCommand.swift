import ArgumentParser
import Docket
import DocketText
import Foundation

/// `docket schedule preview`: a rule's next firings, without a journal.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Work with recurrence rules.", subcommands: [SchedulePreviewCommand.self])
}

/// `docket schedule preview (--cron EXPR | --rrule RULE [--dtstart ISO8601]) [--tz ZONE]
/// [--after ISO8601] [--count N]`: one ISO 8601 UTC instant per line, exit 2 on a bad rule.
struct SchedulePreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Print a rule's next firings, one ISO 8601 instant in UTC per line.",
        discussion: """
            Instants with Z or an offset are taken as given; --after and --dtstart without one are wall \
            times in --tz. Without --dtstart an RRULE starts at --after. Exits 2, printing why, when the \
            rule or the zone is refused.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A cron expression: five fields, a macro such as @daily, or @every 90s.")
    var cron: String?

    @Option(help: "An RFC 5545 rule (FREQ=...), or DTSTART/RRULE/RDATE/EXDATE lines.")
    var rrule: String?

    @Option(help: "The RRULE's start (DTSTART), ISO 8601.")
    var dtstart: String?

    @Option(help: "The IANA time zone the rule is read in (default UTC, or the rule's DTSTART;TZID).")
    var tz: String?

    @Option(help: "List firings after this instant, ISO 8601 (default: now).")
    var after: String?

    @Option(help: "How many firings (1-10000).")
    var count = 10

    func validate() throws {
        guard (cron == nil) != (rrule == nil) else { throw ValidationError("give exactly one of --cron and --rrule") }
        if dtstart != nil, rrule == nil { throw ValidationError("--dtstart goes with --rrule only") }
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000, not \(count)") }
    }

    func run() async throws {
        let zoneName = tz ?? "UTC"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ToolFailure.usage("--tz \(zoneName) is not a time zone this system knows (is tzdata installed?)")
        }
        var start = Date()
        if let after {
            guard let date = InstantParser.instant(after, wallTimeIn: zone) else {
                throw ToolFailure.usage("--after \(after) is not ISO 8601; write it like 2026-03-08T07:00:00Z")
            }
            start = date
        }
        let recurrence = try recurrence(zone: zone)
        let firings: [Date]
        do {
            firings = try recurrence.nextFirings(after: start, count: count)
        } catch {
            throw ToolFailure.usage("\(error)")
        }
        let console = Console.current
        if global.json { return try console.json(firings) }
        firings.forEach { console.line(ISO8601.format($0)) }
    }

    private func recurrence(zone: TimeZone) throws -> Recurrence {
        if let cron { return .cron(cron, timeZone: tz ?? "UTC") }
        var rule = rrule ?? ""
        if let dtstart {
            guard !rule.uppercased().contains("DTSTART") else {
                throw ToolFailure.usage("the rule has its own DTSTART; drop --dtstart or the rule's DTSTART")
            }
            guard let line = Self.dtstartLine(dtstart, zone: zone) else {
                throw ToolFailure.usage("--dtstart \(dtstart) is not ISO 8601; write it like 2026-03-08T09:00:00")
            }
            let ruleLine = rule.uppercased().hasPrefix("RRULE:") ? rule : "RRULE:" + rule
            rule = line + "\n" + ruleLine
        }
        return .rrule(rule, timeZone: tz)
    }

    /// `DTSTART;TZID=zone:20260308T090000` for `text` as a wall time in `zone` (an instant is first
    /// read in `zone`), or `DTSTART:…Z` in UTC.
    static func dtstartLine(_ text: String, zone: TimeZone) -> String? {
        var components = InstantParser.wallTime(text)
        if components == nil, let instant = InstantParser.instant(text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        }
        guard let components, let year = components.year, let month = components.month, let day = components.day,
            let hour = components.hour, let minute = components.minute
        else { return nil }
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02d", year, month, day, hour, minute, components.second ?? 0)
        return zone.identifier == "UTC" ? "DTSTART:\(stamp)Z" : "DTSTART;TZID=\(zone.identifier):\(stamp)"
    }
}
