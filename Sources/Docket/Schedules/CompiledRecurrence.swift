import DocketCore

/// A rule parsed and its zone looked up, ready to compute firings: what a schedule's spec means.
struct CompiledRecurrence: Sendable {
    enum Rule: Sendable {
        case cron(CronExpression)
        case rrule(RecurrenceRuleSet)
    }

    let rule: Rule
    let zone: SystemZoneRules

    /// Parses `spec` anchored at `anchor` (firing 0 of `@every`, the start of an RRULE without
    /// `DTSTART`) and looks its zone up.
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` with field `.recurrence` quoting the part at
    ///   fault, or `.timeZone` when the zone is unknown or the system has no zone data.
    init(spec: RecurrenceSpec, anchor: Timestamp) throws(DocketError) {
        do {
            zone = try SystemZoneRules(identifier: spec.timeZone)
        } catch {
            throw DocketError.invalid(.timeZone, spec.timeZone, error.description)
        }
        let anchorSeconds = Self.seconds(anchor)
        switch spec.kind {
        case .cron:
            do {
                rule = .cron(try CronExpression(spec.text, anchor: anchorSeconds))
            } catch {
                throw DocketError.invalid(.recurrence, spec.text, error.description)
            }
        case .rrule:
            let start = CivilDateTime(secondsSince1970: anchorSeconds, offset: zone.offset(atUTC: anchorSeconds))
            let parsed = try Self.parseRule(spec.text, defaultStart: .local(start))
            if let named = parsed.timeZoneIdentifier, named != spec.timeZone {
                throw DocketError.invalid(
                    .timeZone, spec.timeZone,
                    "the rule's DTSTART names the zone \(named) and the schedule \(spec.timeZone); give one zone, or the same in both")
            }
            rule = .rrule(parsed)
        }
    }

    /// Parses RRULE text, mapping its error.
    static func parseRule(_ text: String, defaultStart: RecurrenceRuleSet.Time? = nil) throws(DocketError) -> RecurrenceRuleSet {
        do {
            // Without a start the parser would refuse a rule that needs none here: the schedule's
            // anchor stands in for a missing DTSTART.
            return try RecurrenceRuleSet.parse(text, defaultStart: defaultStart ?? .utc(CivilDateTime(year: 2026, month: 1, day: 1)))
        } catch {
            throw DocketError.invalid(.recurrence, text, error.description)
        }
    }

    /// The first firing strictly after `instant`; nil when the rule has ended.
    ///
    /// Firings are whole seconds, so the first one after an instant inside a second is the first
    /// after that second.
    func nextFiring(after instant: Timestamp) -> Timestamp? {
        let seconds = Self.seconds(instant)
        let next: Int64? = switch rule {
        case .cron(let expression): expression.nextFiring(after: seconds, in: zone)
        case .rrule(let set): set.nextFiring(after: seconds, in: zone)
        }
        return next.map { Timestamp(microsecondsSinceEpoch: $0 &* 1_000_000) }
    }

    /// The first firing at or after `instant`.
    func firstFiring(atOrAfter instant: Timestamp) -> Timestamp? {
        nextFiring(after: instant - .microseconds(1))
    }

    /// The next `count` firings strictly after `instant`, fewer when the rule ends first.
    func firings(after instant: Timestamp, count: Int) -> [Timestamp] {
        var firings: [Timestamp] = []
        var position = instant
        while firings.count < count, let next = nextFiring(after: position) {
            firings.append(next)
            position = next
        }
        return firings
    }

    /// Whole seconds at or before `instant`.
    static func seconds(_ instant: Timestamp) -> Int64 {
        let micros = instant.microsecondsSinceEpoch
        return micros >= 0 ? micros / 1_000_000 : -((-(micros + 1)) / 1_000_000) - 1
    }
}
