/// What expanding a rule from a given start needs, worked out once: RFC 5545's defaults filled in
/// from the start (a `MONTHLY` rule with no day part fires on the start's day of the month, and so
/// on), value lists turned into masks, and the times of day of each period.
struct ExpansionPlan: Sendable {
    typealias Frequency = RecurrenceRule.Frequency

    /// `FREQ`.
    let frequency: Frequency
    /// `INTERVAL`, in periods.
    let interval: Int64
    /// The start, in wall seconds.
    let start: Int64
    /// The start's period, as a period number (see ``unit(ofWall:)``).
    let baseUnit: Int64
    /// `COUNT`.
    let count: Int?
    /// The last local day an occurrence may fall on (`UNTIL=` a date), as days since 1970.
    let untilDay: Int64?
    /// Whether each period yields exactly one occurrence (``RecurrenceRule/yieldsOncePerPeriod``).
    let oncePerPeriod: Bool
    /// `WKST`, as a ``CivilDateTime/weekday``.
    let weekStart: Int

    /// `BYMONTH` (or the default), bit *m* for month *m*; zero for every month.
    let months: UInt16
    /// `BYMONTHDAY` (or the default): bit *d* for day *d*, and in `negativeMonthDays` bit *d* for -*d*.
    let monthDays: UInt64
    let negativeMonthDays: UInt64
    /// `BYYEARDAY`, indexed by day (1-366) and by -day.
    let yearDays: [Bool]
    let negativeYearDays: [Bool]
    /// `BYWEEKNO`, bit *n* for week *n*, and in `negativeWeekNumbers` bit *n* for -*n*.
    let weekNumbers: UInt64
    let negativeWeekNumbers: UInt64
    /// Plain `BYDAY` weekdays (or the default), bit *w* for ``CivilDateTime/weekday`` *w*.
    let weekdays: UInt8
    /// `BYDAY` entries with an ordinal, as (weekday, ordinal).
    let ordinalWeekdays: [(weekday: Int, ordinal: Int)]
    /// Whether ordinals count within the month (`MONTHLY`, or `YEARLY` with `BYMONTH`) rather than
    /// the year.
    let ordinalsWithinMonth: Bool

    /// The occurrences' offsets within a period's day, sorted: seconds of the day for `DAILY` and
    /// coarser; seconds after the period's hour for `HOURLY`, after its minute for `MINUTELY`;
    /// `[0]` for `SECONDLY`.
    let times: [Int]
    /// For `HOURLY` and finer: `BYHOUR`, `BYMINUTE`, `BYSECOND` as limits, bit per value; zero for
    /// no limit.
    let hourLimit: UInt32
    let minuteLimit: UInt64
    let secondLimit: UInt64
    /// `BYSETPOS`, sorted.
    let setPositions: [Int]
    /// Whether the periods of an `HOURLY` or finer rule ever land on a time of day its limits
    /// allow (always true for coarser rules).
    let reachesAllowedTime: Bool

    /// Works out the plan of `rule` from `start`.
    ///
    /// - Complexity: O(*t*) in the number of times of day the rule names (at most 86 400).
    init(rule: RecurrenceRule, start civil: CivilDateTime) {
        frequency = rule.frequency
        interval = Int64(rule.interval)
        start = civil.wallSeconds
        count = rule.count
        if case .localDate(let year, let month, let day)? = rule.until {
            untilDay = CivilDateTime.daysFromCivil(year: year, month: month, day: day)
        } else {
            untilDay = nil
        }
        oncePerPeriod = rule.yieldsOncePerPeriod
        weekStart = rule.weekStart.rawValue

        func bits<T: FixedWidthInteger>(_ values: some Sequence<Int>) -> T {
            values.reduce(T.zero) { $0 | (T(1) << T($1)) }
        }
        let noDayPart = rule.byWeekNumber.isEmpty && rule.byYearDay.isEmpty && rule.byMonthDay.isEmpty && rule.byDay.isEmpty
        var byMonth = rule.byMonth
        var byMonthDay = rule.byMonthDay
        var plainWeekdays = rule.byDay.filter { $0.ordinal == nil }.map(\.weekday.rawValue)
        if noDayPart {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [civil.month] }
                byMonthDay = [civil.day]
            case .monthly:
                byMonthDay = [civil.day]
            case .weekly:
                plainWeekdays = [civil.weekday]
            default:
                break
            }
        }
        months = bits(byMonth)
        monthDays = bits(byMonthDay.filter { $0 > 0 })
        negativeMonthDays = bits(byMonthDay.filter { $0 < 0 }.map { -$0 })
        var yearDays = [Bool](repeating: false, count: rule.byYearDay.isEmpty ? 0 : 367)
        var negativeYearDays = yearDays
        for day in rule.byYearDay {
            if day > 0 { yearDays[day] = true } else { negativeYearDays[-day] = true }
        }
        self.yearDays = yearDays
        self.negativeYearDays = negativeYearDays
        weekNumbers = bits(rule.byWeekNumber.filter { $0 > 0 })
        negativeWeekNumbers = bits(rule.byWeekNumber.filter { $0 < 0 }.map { -$0 })
        weekdays = bits(plainWeekdays)
        ordinalWeekdays = rule.byDay.compactMap { entry in entry.ordinal.map { (entry.weekday.rawValue, $0) } }
        ordinalsWithinMonth = rule.frequency == .monthly || !rule.byMonth.isEmpty

        // BYHOUR, BYMINUTE and BYSECOND expand the periods coarser than them and limit the finer.
        let hours = rule.byHour.isEmpty ? [civil.hour] : rule.byHour
        let minutes = rule.byMinute.isEmpty ? [civil.minute] : rule.byMinute
        let seconds = rule.bySecond.isEmpty ? [civil.second] : rule.bySecond
        switch rule.frequency {
        case .secondly:
            times = [0]
        case .minutely:
            times = seconds
        case .hourly:
            times = minutes.flatMap { minute in seconds.map { minute * 60 + $0 } }
        default:
            times = hours.flatMap { hour in minutes.flatMap { minute in seconds.map { hour * 3_600 + minute * 60 + $0 } } }
        }
        hourLimit = rule.frequency <= .hourly ? bits(rule.byHour) : 0
        minuteLimit = rule.frequency <= .minutely ? bits(rule.byMinute) : 0
        secondLimit = rule.frequency == .secondly ? bits(rule.bySecond) : 0
        setPositions = rule.bySetPosition
        reachesAllowedTime = Self.reachesAllowedTime(rule: rule, start: civil)
        baseUnit = Self.unit(ofWall: civil.wallSeconds, frequency: rule.frequency, weekStart: rule.weekStart.rawValue)
    }

    /// Whether some time of day allowed by the limits lies on the rule's lattice of periods.
    ///
    /// Periods start at the start's time plus multiples of the interval, so their times of day
    /// (in the period's unit) are exactly those congruent to the start's modulo the greatest common
    /// divisor of the interval and the day's length in that unit: `FREQ=HOURLY;INTERVAL=6` from
    /// 09:00 visits 03, 09, 15 and 21 only, and never `BYHOUR=10`.
    ///
    /// - Complexity: O(*h* · *m* · *s*) in the sizes of the limits, at most 86 400.
    private static func reachesAllowedTime(rule: RecurrenceRule, start: CivilDateTime) -> Bool {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let hours = rule.byHour.isEmpty ? Array(0..<24) : rule.byHour
        let minutes = rule.byMinute.isEmpty ? Array(0..<60) : rule.byMinute
        let seconds = rule.bySecond.isEmpty ? Array(0..<60) : rule.bySecond
        switch rule.frequency {
        case .hourly:
            let step = gcd(rule.interval, 24)
            return hours.contains { ($0 - start.hour) % step == 0 }
        case .minutely:
            let step = gcd(rule.interval, 1_440)
            let origin = start.hour * 60 + start.minute
            return hours.contains { hour in minutes.contains { (hour * 60 + $0 - origin) % step == 0 } }
        case .secondly:
            let step = gcd(rule.interval, 86_400)
            return hours.contains { hour in
                minutes.contains { minute in seconds.contains { (hour * 3_600 + minute * 60 + $0 - start.secondOfDay) % step == 0 } }
            }
        default:
            return true
        }
    }

    /// Wall seconds per period for `HOURLY` and finer.
    var unitSeconds: Int64 {
        switch frequency {
        case .hourly: 3_600
        case .minutely: 60
        default: 1
        }
    }

    /// The number of the period (of this plan's frequency, counted from 1970 or year 0, ignoring
    /// the interval) containing wall time `wall`.
    ///
    /// - Complexity: O(1).
    func unit(ofWall wall: Int64) -> Int64 {
        Self.unit(ofWall: wall, frequency: frequency, weekStart: weekStart)
    }

    /// ``unit(ofWall:)`` before a plan exists.
    private static func unit(ofWall wall: Int64, frequency: Frequency, weekStart: Int) -> Int64 {
        let day = CivilDateTime.floorDivide(wall, 86_400)
        switch frequency {
        case .yearly:
            return Int64(CivilDateTime.civilFromDays(day).year)
        case .monthly:
            let date = CivilDateTime.civilFromDays(day)
            return Int64(date.year) * 12 + Int64(date.month - 1)
        case .weekly:
            return CivilDateTime.floorDivide(day - weekAnchor(weekStart), 7)
        case .daily:
            return day
        case .hourly:
            return CivilDateTime.floorDivide(wall, 3_600)
        case .minutely:
            return CivilDateTime.floorDivide(wall, 60)
        case .secondly:
            return wall
        }
    }

    /// A day (since 1970) that is a ``weekStart``: week number 0 starts on it.
    var weekAnchor: Int64 { Self.weekAnchor(weekStart) }

    /// ``weekAnchor`` before a plan exists.
    private static func weekAnchor(_ weekStart: Int) -> Int64 {
        // 1970-01-01 was a Thursday (weekday 4).
        Int64((weekStart - 4 + 7) % 7)
    }

    /// How many consecutive periods without an occurrence prove that none will ever come: the
    /// Gregorian calendar repeats every 400 years (146 097 days, 20 871 weeks, 4 800 months), so
    /// after that many periods, divided by what they share with the interval, every period's
    /// position in the cycle has been seen. Nil for `HOURLY` and finer, which are bounded by days.
    var emptyPeriodLimit: Int64? {
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let cycle: Int64
        switch frequency {
        case .yearly: cycle = 400
        case .monthly: cycle = 4_800
        case .weekly: cycle = 20_871
        case .daily: cycle = 146_097
        default: return nil
        }
        return cycle / gcd(cycle, interval) + 1
    }
}
