extension CronFields {
    /// The last instant any firing may fall on: 9999-12-31T23:59:59Z.
    package static let latestInstant: Int64 = 253_402_300_799
    /// The first instant searched from: 0001-01-01T00:00:00Z.
    static let earliestInstant: Int64 = -62_135_596_800
    /// How many years past its start a search goes before giving up: a full cycle of the calendar,
    /// within which any rule that ``canEverFire`` fires.
    static let searchYears = 401

    /// The first firing strictly after `instant` in `zone`, by the rules of ``CronExpression``.
    ///
    /// - Complexity: see ``CronExpression/nextFiring(after:in:)``.
    func nextFiring(after instant: Int64, in zone: some ZoneRules) -> Int64? {
        guard instant < Self.latestInstant else { return nil }
        let instant = max(instant, Self.earliestInstant)
        let found = keepsRealTimeSpacing
            ? nextRealTimeFiring(after: instant, in: zone)
            : nextWallClockFiring(after: instant, in: zone)
        guard let found, found <= Self.latestInstant else { return nil }
        return found
    }

    /// Fixed minute and hour: search wall-clock times, then map each to one instant, as Debian cron
    /// does. A skipped time fires at the end of the gap; a repeated one at its first occurrence.
    private func nextWallClockFiring(after instant: Int64, in zone: some ZoneRules) -> Int64? {
        var local = zone.civilTime(atUTC: instant)
        local.second = 0
        var cursor = local.addingSeconds(60)
        while true {
            guard let wall = nextWallTime(onOrAfter: cursor, throughYear: cursor.year + Self.searchYears) else { return nil }
            let firing: Int64
            switch zone.resolve(wall) {
            case .unique(let at): firing = at
            case .repeated(let first, _): firing = first
            case .skipped(let gapStart, _, _): firing = gapStart
            }
            // Only a start in the second run of a repeated hour finds a wall time whose first
            // occurrence already passed; the search then goes on past it.
            if firing > instant { return firing }
            cursor = wall.addingSeconds(60)
        }
    }

    /// `*` in the minute or hour field: search wall-clock times one stretch of constant offset at a
    /// time, so every instant whose wall-clock time matches fires, and only those.
    private func nextRealTimeFiring(after instant: Int64, in zone: some ZoneRules) -> Int64? {
        var from = instant + 1
        while true {
            let offset = zone.offset(atUTC: from)
            var local = CivilDateTime(secondsSince1970: from, offset: offset)
            if local.second != 0 {
                local = local.addingSeconds(Int64(60 - local.second))
            }
            guard let wall = nextWallTime(onOrAfter: local, throughYear: local.year + Self.searchYears) else { return nil }
            let candidate = wall.secondsSince1970(offset: offset)
            // The offset holds from `from` until the next transition; past it, search again from there.
            if let transition = zone.nextTransition(afterUTC: from), transition > from, transition <= candidate {
                from = transition
                continue
            }
            return candidate
        }
    }

    /// The earliest wall-clock time at or after `start` (taken to the minute, seconds ignored) that
    /// every field matches, with seconds 0; nil if none comes before the end of year `lastYear`.
    ///
    /// - Complexity: O(*m* × 31) for the *m* months until the match, each skipped in O(1) unless its
    ///   month matches; a rule that fires at least once a year finds its match within 12 months.
    package func nextWallTime(onOrAfter start: CivilDateTime, throughYear lastYear: Int) -> CivilDateTime? {
        var year = start.year
        var month = start.month
        var day = start.day
        var hour = start.hour
        var minute = start.minute
        func startNextMonth() {
            if month == 12 { year += 1; month = 1 } else { month += 1 }
            day = 1; hour = 0; minute = 0
        }
        while year <= lastYear {
            guard let nextMonth = Self.firstBit(of: months, from: month) else {
                year += 1; month = 1; day = 1; hour = 0; minute = 0
                continue
            }
            if nextMonth != month { month = nextMonth; day = 1; hour = 0; minute = 0 }
            let length = CivilDateTime.daysInMonth(year: year, month: month)
            var weekday = CivilDateTime.weekday(daysSince1970: CivilDateTime.daysFromCivil(year: year, month: month, day: day))
            var matchedDay = day
            while matchedDay <= length, !matchesDay(matchedDay, weekday: weekday, length: length) {
                matchedDay += 1
                weekday = (weekday + 1) % 7
            }
            guard matchedDay <= length else { startNextMonth(); continue }
            if matchedDay != day { day = matchedDay; hour = 0; minute = 0 }
            guard let matchedHour = Self.firstBit(of: hours, from: hour) else {
                // The next day, which may lie in the next month: the day loop above moves on then.
                if day == length { startNextMonth() } else { day += 1; hour = 0; minute = 0 }
                continue
            }
            if matchedHour != hour { hour = matchedHour; minute = 0 }
            guard let matchedMinute = Self.firstBit(of: minutes, from: minute) else {
                hour += 1; minute = 0
                continue
            }
            return CivilDateTime(year: year, month: month, day: day, hour: hour, minute: matchedMinute)
        }
        return nil
    }

    /// The lowest set bit of `mask` at position `from` or above, if any.
    static func firstBit<Mask: FixedWidthInteger>(of mask: Mask, from position: Int) -> Int? {
        guard position < Mask.bitWidth else { return nil }
        let remaining = mask >> position
        return remaining == 0 ? nil : position + remaining.trailingZeroBitCount
    }
}
