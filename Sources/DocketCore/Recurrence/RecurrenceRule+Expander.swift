/// Walks a rule's occurrences in wall-clock order, one period at a time, as RFC 5545 section
/// 3.3.10 (and dateutil's `rrule._iter`) expands them: each period's days pass the day parts, each
/// day gets the period's times, `BYSETPOS` picks among the period's sorted set, and occurrences
/// before the start are dropped (and not counted).
///
/// Without `COUNT` (or when every period yields exactly one occurrence) the walk starts at the
/// period holding its lower bound rather than at the start. `HOURLY` and finer rules skip whole
/// days, hours and minutes that a limit excludes instead of visiting each period in them.
struct Expander: Sendable {
    /// The rule's expansion constants.
    let plan: ExpansionPlan
    /// The next period to load.
    private var unit: Int64
    /// Occurrences earlier than this wall time are walked over, and counted, but not returned.
    private let lowerBound: Int64
    /// Occurrences later than this wall time end the walk.
    private let wallLimit: Int64
    /// Occurrences counted so far, for `COUNT`.
    private var produced = 0
    /// Whether the walk has ended, for good.
    private var finished = false

    /// The loaded period's days (since 1970) that pass the day parts, ascending.
    private var days: [Int64] = []
    /// Seconds added to each of the plan's times within the loaded period's day.
    private var timeBase = 0
    /// The position of the next occurrence to read: a day of ``days`` and a time of the plan.
    private var dayIndex = 0
    private var timeIndex = 0
    /// With `BYSETPOS`: the loaded period's picked occurrences, ascending, and the next to read.
    private var selected: [Int64] = []
    private var selectedIndex = 0
    /// The last day a sub-daily walk checked against the day parts, and whether it passed: the
    /// periods of one day share the answer.
    private var checkedDay: Int64 = .min
    private var checkedDayPasses = false

    /// The first wall second after year 9999, where every walk ends.
    static let endOfCalendar = CivilDateTime.daysFromCivil(year: 10_000, month: 1, day: 1) * 86_400
    /// How many days a sub-daily walk examines without finding an occurrence before it concludes
    /// there is none: two 400-year Gregorian cycles.
    static let subDailyDayLimit: Int64 = 2 * 146_097

    /// A walk over `plan`'s occurrences at or after wall time `lower` (all of them when nil) and
    /// at or before `wallLimit`.
    ///
    /// - Complexity: O(1).
    init(plan: ExpansionPlan, from lower: Int64?, wallLimit: Int64 = Expander.endOfCalendar) {
        self.plan = plan
        self.wallLimit = wallLimit
        finished = !plan.reachesAllowedTime
        lowerBound = max(lower ?? plan.start, plan.start)
        unit = plan.baseUnit
        if let lower, lower > plan.start, plan.count == nil || plan.oncePerPeriod {
            let periods = CivilDateTime.floorDivide(plan.unit(ofWall: lower) - plan.baseUnit, plan.interval)
            unit = plan.baseUnit + periods * plan.interval
            // With one occurrence per period, the periods skipped are the occurrences skipped.
            if plan.count != nil { produced = Int(clamping: periods) }
        }
    }

    /// The next occurrence, in wall seconds; nil when the rule has ended.
    ///
    /// - Complexity: O(1) per occurrence walked over within a loaded period; loading a period is
    ///   O(*d* · *t*) for its *d* days (up to 366) and *t* times when `BYSETPOS` is given, O(*d*)
    ///   otherwise. Empty periods in a row are bounded: a 400-year cycle's worth for `DAILY` and
    ///   coarser (``ExpansionPlan/emptyPeriodLimit``), ``subDailyDayLimit`` days for finer rules,
    ///   each day costing at most one step per hour and minute its limits leave open.
    mutating func next() -> Int64? {
        while !finished {
            guard let candidate = nextInPeriod() else {
                if !(plan.frequency >= .daily ? loadCoarsePeriod() : loadFinePeriod()) { finished = true }
                continue
            }
            if candidate < plan.start { continue }
            if let count = plan.count {
                guard produced < count else { break }
                produced += 1
            }
            if let untilDay = plan.untilDay, CivilDateTime.floorDivide(candidate, 86_400) > untilDay { break }
            if candidate > wallLimit { break }
            if candidate < lowerBound { continue }
            return candidate
        }
        finished = true
        return nil
    }

    /// The loaded period's next occurrence, in wall seconds; nil when it has no more.
    private mutating func nextInPeriod() -> Int64? {
        if !plan.setPositions.isEmpty {
            guard selectedIndex < selected.count else { return nil }
            selectedIndex += 1
            return selected[selectedIndex - 1]
        }
        guard dayIndex < days.count else { return nil }
        let value = days[dayIndex] * 86_400 + Int64(timeBase + plan.times[timeIndex])
        timeIndex += 1
        if timeIndex == plan.times.count {
            timeIndex = 0
            dayIndex += 1
        }
        return value
    }

    /// Loads the next period of a `DAILY` or coarser rule that has an occurrence.
    private mutating func loadCoarsePeriod() -> Bool {
        let limit = plan.emptyPeriodLimit ?? 0
        var empty: Int64 = 0
        while empty <= limit {
            days.removeAll(keepingCapacity: true)
            guard let firstDay = fillDays() else { return false }
            if let untilDay = plan.untilDay, firstDay > untilDay { return false }
            if firstDay * 86_400 > wallLimit { return false }
            unit += plan.interval
            timeBase = 0
            if prepare() { return true }
            empty += 1
        }
        return false
    }

    /// Puts the days of period ``unit`` that pass the day parts in ``days``; returns the period's
    /// first day, or nil past year 9999.
    private mutating func fillDays() -> Int64? {
        switch plan.frequency {
        case .yearly, .monthly:
            let year = plan.frequency == .yearly ? Int(unit) : Int(CivilDateTime.floorDivide(unit, 12))
            guard year < 10_000 else { return nil }
            let months = plan.frequency == .yearly ? 1...12 : Int(unit - Int64(year) * 12 + 1)...Int(unit - Int64(year) * 12 + 1)
            for month in months where plan.months == 0 || plan.months & (1 << UInt16(month)) != 0 {
                let first = CivilDateTime.daysFromCivil(year: year, month: month, day: 1)
                for day in 1...CivilDateTime.daysInMonth(year: year, month: month)
                where plan.matches(day: first + Int64(day - 1), date: (year, month, day)) {
                    days.append(first + Int64(day - 1))
                }
            }
            return CivilDateTime.daysFromCivil(year: year, month: months.lowerBound, day: 1)
        case .weekly, .daily:
            let first = plan.frequency == .weekly ? plan.weekAnchor + unit * 7 : unit
            guard first * 86_400 < Self.endOfCalendar else { return nil }
            for day in first..<(first + (plan.frequency == .weekly ? 7 : 1)) where plan.matches(day: day, date: CivilDateTime.civilFromDays(day)) {
                days.append(day)
            }
            return first
        default:
            return nil
        }
    }

    /// Loads the next period of an `HOURLY` or finer rule that has an occurrence, jumping over
    /// days, hours, minutes and seconds that the limits exclude.
    private mutating func loadFinePeriod() -> Bool {
        var firstDay: Int64?
        while true {
            let wall = unit * plan.unitSeconds
            guard wall < Self.endOfCalendar, wall <= wallLimit else { return false }
            let day = CivilDateTime.floorDivide(wall, 86_400)
            if let untilDay = plan.untilDay, day > untilDay { return false }
            if let firstDay {
                if day - firstDay > Self.subDailyDayLimit { return false }
            } else {
                firstDay = day
            }
            let dayStart = day * 86_400
            let second = Int(wall - dayStart)
            let hour = second / 3_600
            let minute = second / 60 % 60
            if day != checkedDay {
                checkedDay = day
                checkedDayPasses = !plan.limitsDays || plan.matches(day: day, date: CivilDateTime.civilFromDays(day))
            }
            guard checkedDayPasses else {
                jump(to: dayStart + 86_400)
                continue
            }
            if plan.hourLimit != 0, plan.hourLimit & (1 << UInt32(hour)) == 0 {
                let next = Self.nextBit(of: UInt64(plan.hourLimit), after: hour, below: 24)
                jump(to: next.map { dayStart + Int64($0) * 3_600 } ?? dayStart + 86_400)
                continue
            }
            let hourStart = dayStart + Int64(hour) * 3_600
            if plan.minuteLimit != 0, plan.minuteLimit & (1 << UInt64(minute)) == 0 {
                let next = Self.nextBit(of: plan.minuteLimit, after: minute, below: 60)
                jump(to: next.map { hourStart + Int64($0) * 60 } ?? hourStart + 3_600)
                continue
            }
            let minuteStart = hourStart + Int64(minute) * 60
            if plan.secondLimit != 0, plan.secondLimit & (1 << UInt64(second % 60)) == 0 {
                let next = Self.nextBit(of: plan.secondLimit, after: second % 60, below: 60)
                jump(to: next.map { minuteStart + Int64($0) } ?? minuteStart + 60)
                continue
            }
            days.removeAll(keepingCapacity: true)
            days.append(day)
            timeBase = Int((plan.frequency == .hourly ? hourStart : plan.frequency == .minutely ? minuteStart : wall) - dayStart)
            unit += plan.interval
            if prepare() { return true }
        }
    }

    /// Moves ``unit`` to the first period of the rule starting at or after wall time `target`,
    /// and at least one period on.
    private mutating func jump(to target: Int64) {
        let targetUnit = -CivilDateTime.floorDivide(-target, plan.unitSeconds)
        let periods = -CivilDateTime.floorDivide(-(targetUnit - plan.baseUnit), plan.interval)
        unit = max(unit + plan.interval, plan.baseUnit + periods * plan.interval)
    }

    /// The smallest set bit of `mask` above `value` and below `limit`.
    private static func nextBit(of mask: UInt64, after value: Int, below limit: Int) -> Int? {
        let above = value + 1 < 64 ? mask & ~((1 << UInt64(value + 1)) - 1) : 0
        guard above != 0 else { return nil }
        let bit = above.trailingZeroBitCount
        return bit < limit ? bit : nil
    }

    /// Positions the reader at the loaded period's first occurrence (at ``lowerBound`` when
    /// nothing needs counting before it), applying `BYSETPOS`; false when the period has none.
    private mutating func prepare() -> Bool {
        dayIndex = 0
        timeIndex = 0
        let times = plan.times
        if !plan.setPositions.isEmpty {
            selected.removeAll(keepingCapacity: true)
            selectedIndex = 0
            let total = days.count * times.count
            for position in plan.setPositions {
                let index = position > 0 ? position - 1 : total + position
                guard index >= 0, index < total else { continue }
                selected.append(days[index / times.count] * 86_400 + Int64(timeBase + times[index % times.count]))
            }
            selected.sort()
            var unique = 0
            for value in selected where unique == 0 || selected[unique - 1] != value {
                selected[unique] = value
                unique += 1
            }
            selected.removeLast(selected.count - unique)
            return !selected.isEmpty
        }
        guard plan.count == nil else { return !days.isEmpty }
        let lowerDay = CivilDateTime.floorDivide(lowerBound, 86_400)
        while dayIndex < days.count, days[dayIndex] < lowerDay { dayIndex += 1 }
        if dayIndex < days.count, days[dayIndex] == lowerDay {
            let target = Int(lowerBound - lowerDay * 86_400) - timeBase
            var low = 0
            var high = times.count
            while low < high {
                let middle = (low + high) / 2
                if times[middle] < target { low = middle + 1 } else { high = middle }
            }
            timeIndex = low
            if timeIndex == times.count {
                timeIndex = 0
                dayIndex += 1
            }
        }
        return dayIndex < days.count
    }
}
