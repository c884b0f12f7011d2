/// Reading a schedule from text, in the forms python-dateutil's `rrulestr` accepts.
extension RecurrenceRuleSet {
    /// Reads a schedule: a bare rule (`FREQ=DAILY;BYHOUR=9`), an `RRULE:` line, or a block of
    /// content lines:
    ///
    /// ```
    /// DTSTART;TZID=Europe/London:20260101T090000
    /// RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR
    /// RDATE:20260103T090000,20260104T090000
    /// EXDATE:20260105T090000
    /// ```
    ///
    /// `DTSTART` takes a wall time (alone, or after `TZID=`, whose name is kept in
    /// ``timeZoneIdentifier``) or a UTC time ending in `Z`. `RDATE` and `EXDATE` take
    /// comma-separated times in the same forms, and may repeat; a `TZID` on them must name the zone
    /// of `DTSTART`. There is exactly one `RRULE`. Lines may be folded (a continuation line starts
    /// with a space), blank lines are ignored, and names are read without regard to case.
    ///
    /// - Parameter defaultStart: the start when the text has no `DTSTART`, such as the moment the
    ///   schedule is created; without one, such text is refused.
    /// - Throws: ``RecurrenceRuleError`` quoting the line or part at fault.
    /// - Complexity: O(*n*) in the length of `text`, plus the checks of
    ///   ``init(start:rule:additions:exclusions:timeZoneIdentifier:)``.
    package static func parse(_ text: String, defaultStart: Time? = nil) throws(RecurrenceRuleError) -> RecurrenceRuleSet {
        let block: Block
        do throws(RecurrenceRuleError.Failure) {
            block = try Block(unfolding: text)
        } catch {
            throw RecurrenceRuleError(text: text, failure: error)
        }
        guard let start = block.start ?? defaultStart else {
            throw RecurrenceRuleError(text: text, part: "", reason: "DTSTART is missing; add a line such as DTSTART;TZID=Europe/London:20260101T090000")
        }
        do {
            return try RecurrenceRuleSet(
                start: start, rule: block.rule, additions: block.additions, exclusions: block.exclusions,
                timeZoneIdentifier: block.timeZoneIdentifier)
        } catch {
            throw RecurrenceRuleError(text: text, part: error.part, reason: error.reason)
        }
    }
}

/// The content lines of a schedule, read but not yet checked as a whole.
private struct Block {
    typealias Failure = RecurrenceRuleError.Failure

    /// `DTSTART`, if given.
    var start: RecurrenceRuleSet.Time?
    /// `DTSTART`'s `TZID`, if given.
    var timeZoneIdentifier: String?
    /// `RRULE`.
    var rule: RecurrenceRule
    /// All `RDATE` values, in order.
    var additions: [RecurrenceRuleSet.Time] = []
    /// All `EXDATE` values, in order.
    var exclusions: [RecurrenceRuleSet.Time] = []

    /// Reads the lines of `text`, unfolding continuation lines first.
    init(unfolding text: String) throws(Failure) {
        var lines: [Substring] = []
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = raw
            if line.last == "\r" { line.removeLast() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line.dropFirst()
                continue
            }
            lines.append(line)
        }
        lines = lines.map { line in
            var trimmed = line
            while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
            while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
            return trimmed
        }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw Failure("", "it is empty; write a rule such as FREQ=DAILY;BYHOUR=9") }

        var rule: RecurrenceRule?
        var startLine: Substring?
        var zonedLines: [(line: Substring, zone: String)] = []
        for line in lines {
            // A line without a name is a rule, as dateutil reads it.
            guard let colon = line.firstIndex(of: ":") else {
                rule = try Self.readRule(line, line, replacing: rule)
                continue
            }
            let head = line[..<colon].split(separator: ";", omittingEmptySubsequences: false)
            let value = line[line.index(after: colon)...]
            let name = head[0].uppercased()
            var zone: String?
            for parameter in head.dropFirst() {
                let upper = parameter.uppercased()
                if upper.hasPrefix("TZID="), name != "RRULE" {
                    zone = String(parameter.dropFirst(5))
                } else if upper == "VALUE=DATE-TIME", name != "RRULE" {
                    continue
                } else if upper.hasPrefix("VALUE=") {
                    throw Failure(line, "only date-time values are supported; write \(name):20260101T090000 (a time of day is needed to fire)")
                } else {
                    throw Failure(line, "the parameter '\(parameter)' is not supported; \(name) takes TZID=zone, as in DTSTART;TZID=Europe/London:20260101T090000")
                }
            }
            if let zone {
                guard !zone.isEmpty else { throw Failure(line, "TZID needs a zone name, such as TZID=Europe/London") }
                zonedLines.append((line, zone))
            }
            switch name {
            case "DTSTART":
                guard startLine == nil else { throw Failure(line, "DTSTART appears twice; write one") }
                startLine = line
                start = try Self.time(value, line, zoned: zone != nil)
                timeZoneIdentifier = zone
            case "RRULE":
                rule = try Self.readRule(value, line, replacing: rule)
            case "RDATE":
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    additions.append(try Self.time(item, line, zoned: zone != nil))
                }
            case "EXDATE":
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    exclusions.append(try Self.time(item, line, zoned: zone != nil))
                }
            case "EXRULE":
                throw Failure(line, "EXRULE is not supported (RFC 5545 deprecates it); list the times to skip with EXDATE")
            default:
                throw Failure(line, "unknown line \(name); a schedule has DTSTART, RRULE, RDATE and EXDATE lines")
            }
        }
        guard let rule else { throw Failure("", "RRULE is missing; add a line such as RRULE:FREQ=DAILY;BYHOUR=9") }
        self.rule = rule
        // One schedule has one zone: a time in another zone could not be resolved without it.
        for (line, zone) in zonedLines where zone != timeZoneIdentifier {
            if let timeZoneIdentifier {
                throw Failure(line, "this TZID differs from DTSTART's (\(timeZoneIdentifier)); write times in the schedule's zone, or in UTC with a Z")
            }
            throw Failure(line, "a TZID here needs the same TZID on DTSTART; write DTSTART;TZID=\(zone):…")
        }
    }

    /// Reads an `RRULE` value (or a line without a name), refusing a second one.
    private static func readRule(_ value: Substring, _ line: Substring, replacing previous: RecurrenceRule?) throws(Failure) -> RecurrenceRule {
        guard previous == nil else { throw Failure(line, "a second RRULE; write one rule (RFC 5545 advises against several)") }
        var body = value
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst(6) }
        return try RuleParser.parse(body)
    }

    /// Reads a `DTSTART`, `RDATE` or `EXDATE` value: a wall time, or UTC with `Z`.
    private static func time(_ text: Substring, _ line: Substring, zoned: Bool) throws(Failure) -> RecurrenceRuleSet.Time {
        guard !text.isEmpty else { throw Failure(line, "a time is missing; write 20260101T090000, or 20260101T090000Z for UTC") }
        if text.last == "Z" || text.last == "z" {
            if zoned { throw Failure(line, "a UTC time (ending in Z) cannot have a TZID; drop one of them") }
            return .utc(try DateTimeText.civil(text.dropLast(), line))
        }
        return .local(try DateTimeText.civil(text, line))
    }
}
