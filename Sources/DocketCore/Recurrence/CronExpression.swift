/// A cron schedule: five fields (`"30 2 * * *"`), a macro (`"@daily"`) or a fixed interval
/// (`"@every 1h30m"`), and the instants at which it fires.
///
/// ## Fields
///
/// `minute hour day-of-month month day-of-week`, separated by spaces or tabs, each one `*`, a
/// value, a list (`1,15`), a range (`1-5`) or a step (`*/15`, `1-30/5`, and `5/10` meaning 5 to
/// the field's maximum every 10). Months and days of the week may be named (`JAN`-`DEC`,
/// `SUN`-`SAT`, any case); Sunday is 0 or 7. `?` is `*` in the two day fields. The day-of-month
/// field also takes `L` (the last day) and `LW` (the last weekday, Monday to Friday); the
/// day-of-week field takes `5L` or `FRIL` (the last Friday of the month) and `MON#1` or `1#1` (the
/// first Monday, up to `#5`). When both day fields are restricted (neither starts with `*` or
/// `?`), a day matching either one fires, as in Vixie cron: `0 12 1 * MON` fires on the 1st and on
/// every Monday. Expressions that can never fire, such as `0 0 30 2 *`, are refused.
///
/// ## Macros
///
/// `@yearly` and `@annually` (`0 0 1 1 *`), `@monthly` (`0 0 1 * *`), `@weekly` (`0 0 * * 0`),
/// `@daily` and `@midnight` (`0 0 * * *`), `@hourly` (`0 * * * *`). `@every <delay>` fires every
/// `delay` (written as ``DelayText`` reads it, whole seconds, at least `1s`) in real time, at
/// ``anchor`` + *k* × `delay` for *k* ≥ 0, so firings stay on the same grid across restarts.
///
/// ## Daylight saving
///
/// Firings are computed in wall-clock time in the zone given, then turned into instants the way
/// Debian's cron does, as the Python package `cronsim` reproduces it:
///
/// - When the minute and the hour fields are both fixed (neither starts with `*`), the rule names
///   wall-clock times. A time skipped by a spring-forward fires once, at the first instant after the
///   gap (02:30 in New York on 2026-03-08 fires at 03:00 EDT); a time repeated by a fall-back fires
///   once, at its first occurrence (EDT, not EST).
/// - When the minute or the hour field starts with `*` (`*/30 * * * *`, `0 * * * *`), the rule
///   keeps real-time spacing: it fires at each instant whose wall-clock time matches, so twice in a
///   repeated hour and not at all in a skipped one.
package struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// What the expression says, once parsed.
    package enum Schedule: Hashable, Sendable {
        /// Five fields, or a macro standing for five fields.
        case fields(CronFields)
        /// `@every`: a fixed interval in whole seconds, at least 1.
        case every(seconds: Int64)
    }

    /// The expression as given.
    package let text: String
    /// The parsed schedule.
    package let schedule: Schedule
    /// For `@every`, the instant of firing 0, in seconds since 1970; ignored by other schedules.
    package var anchor: Int64

    /// Parses `text`, refusing any expression that is malformed or can never fire.
    ///
    /// - Parameters:
    ///   - text: five fields, a macro or `@every <delay>`; see the type's description.
    ///   - anchor: for `@every`, the instant of firing 0, typically when the schedule was created.
    /// - Throws: ``CronParseError`` naming the field at fault and what it accepts.
    /// - Complexity: O(*n*) in the length of `text`.
    package init(_ text: String, anchor: Int64 = 0) throws(CronParseError) {
        self.text = text
        self.anchor = anchor
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard let first = words.first else {
            throw CronParseError(text: text, reason: "it is empty; write five fields such as \"30 2 * * *\", or a macro such as @daily")
        }
        if first.hasPrefix("@") {
            schedule = try Self.macro(String(first).lowercased(), arguments: words.dropFirst(), text: text)
        } else {
            schedule = .fields(try Self.fields(words.map(String.init), text: text))
        }
    }

    /// The expression as given.
    package var description: String { text }

    /// The first instant strictly after `instantUTC` at which the expression fires, in `zone`'s
    /// wall-clock time; nil if it never fires again before the end of year 9999.
    ///
    /// - Parameters:
    ///   - instantUTC: seconds since 1970-01-01T00:00:00Z.
    ///   - zone: the zone whose wall clock the fields are read on; unused by `@every`.
    /// - Returns: seconds since 1970-01-01T00:00:00Z.
    /// - Complexity: O(1) calls to `zone` and O(*m*) months examined until the match (see
    ///   ``CronFields/nextWallTime(onOrAfter:throughYear:)``); never minute by minute.
    package func nextFiring(after instantUTC: Int64, in zone: some ZoneRules) -> Int64? {
        switch schedule {
        case .every(let interval):
            return Self.nextInterval(after: instantUTC, anchor: anchor, interval: interval)
        case .fields(let fields):
            return fields.nextFiring(after: instantUTC, in: zone)
        }
    }

    /// The firings strictly after `instantUTC`, computed lazily one by one: take the next *n* with
    /// `prefix(n)`.
    ///
    /// - Complexity: O(1) to create; each element costs one ``nextFiring(after:in:)``.
    package func firings<Zone: ZoneRules>(after instantUTC: Int64, in zone: Zone) -> CronFirings<Zone> {
        CronFirings(expression: self, zone: zone, after: instantUTC)
    }

    /// The instant `anchor + k × interval` just after `instant`, for the least *k* ≥ 0; nil past the
    /// last supported instant.
    private static func nextInterval(after instant: Int64, anchor: Int64, interval: Int64) -> Int64? {
        guard instant >= anchor else { return anchor <= CronFields.latestInstant ? anchor : nil }
        let (elapsed, overflow) = instant.subtractingReportingOverflow(anchor)
        guard !overflow else { return nil }
        let (count, overflow1) = (elapsed / interval).addingReportingOverflow(1)
        guard !overflow1 else { return nil }
        let (offset, overflow2) = count.multipliedReportingOverflow(by: interval)
        guard !overflow2 else { return nil }
        let (next, overflow3) = anchor.addingReportingOverflow(offset)
        guard !overflow3, next <= CronFields.latestInstant else { return nil }
        return next
    }
}

/// The firings of a ``CronExpression`` after an instant, in order, as seconds since 1970.
package struct CronFirings<Zone: ZoneRules>: Sequence, IteratorProtocol, Sendable {
    /// The expression whose firings these are.
    package let expression: CronExpression
    /// The zone its fields are read in.
    package let zone: Zone
    /// The last instant returned, or the starting instant.
    package private(set) var current: Int64?

    /// The firings of `expression` in `zone` strictly after `instant`.
    ///
    /// - Complexity: O(1).
    package init(expression: CronExpression, zone: Zone, after instant: Int64) {
        self.expression = expression
        self.zone = zone
        self.current = instant
    }

    /// The next firing, or nil when there is none.
    ///
    /// - Complexity: one ``CronExpression/nextFiring(after:in:)``.
    package mutating func next() -> Int64? {
        guard let current else { return nil }
        self.current = expression.nextFiring(after: current, in: zone)
        return self.current
    }
}
