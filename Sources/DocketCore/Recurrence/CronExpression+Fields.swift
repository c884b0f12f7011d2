extension CronExpression {
    /// The macros and the five fields each stands for.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// The schedule of a macro: `name` is the lowercased first word, `arguments` the other words.
    static func macro(_ name: String, arguments: ArraySlice<Substring>, text: String) throws(CronParseError) -> Schedule {
        if name == "@every" {
            return .every(seconds: try interval(arguments, text: text))
        }
        guard let fields = macros[name] else {
            let hint = name == "@reboot"
                ? "@reboot is not supported: a schedule here outlives any one process"
                : "unknown macro \(name)"
            throw CronParseError(text: text, reason: "\(hint); use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <delay>, or five fields")
        }
        guard arguments.isEmpty else {
            throw CronParseError(text: text, reason: "\(name) takes nothing after it; write \(name) alone, or five fields")
        }
        return .fields(try Self.fields(fields.split(separator: " ").map(String.init), text: text))
    }

    /// The interval of `@every`, in whole seconds.
    private static func interval(_ arguments: ArraySlice<Substring>, text: String) throws(CronParseError) -> Int64 {
        guard arguments.count == 1, let delay = arguments.first else {
            throw CronParseError(text: text, reason: arguments.isEmpty
                ? "@every needs a delay, as in @every 90s or @every 1h30m"
                : "@every takes one delay with no spaces inside, as in @every 1h30m")
        }
        let duration: Duration
        do throws(DelayParseError) {
            duration = try DelayText.parse(String(delay))
        } catch {
            throw CronParseError(text: text, reason: "@every: \(error.reason)")
        }
        let micros = duration.microseconds
        guard micros >= 1_000_000 else {
            throw CronParseError(text: text, reason: "@every \(delay) is shorter than the minimum of 1s")
        }
        guard micros % 1_000_000 == 0 else {
            throw CronParseError(text: text, reason: "@every \(delay) is not a whole number of seconds; firings fall on whole seconds, so write e.g. 1s or 2s")
        }
        return micros / 1_000_000
    }

    /// The fields of a five-field expression, checked to fire at least once.
    static func fields(_ words: [String], text: String) throws(CronParseError) -> CronFields {
        guard words.count == 5 else {
            let extra = words.count == 6 ? "; seconds and years are not supported" : ""
            throw CronParseError(text: text, reason: "it has \(words.count) field\(words.count == 1 ? "" : "s"); write 5: minute hour day-of-month month day-of-week, as in \"30 2 * * *\"\(extra)")
        }
        var values: [CronFieldValues] = []
        for (field, word) in zip(CronParseError.Field.allCases, words) {
            do throws(CronFieldParser.Failure) {
                values.append(try CronFieldParser(field: field).parse(Substring(word)))
            } catch {
                throw CronParseError(text: text, field: field, fieldText: word, reason: error.reason)
            }
        }
        func startsWithStar(_ word: String) -> Bool { word.hasPrefix("*") || word.hasPrefix("?") }
        let fields = CronFields(
            minutes: values[0].bits,
            hours: UInt32(truncatingIfNeeded: values[1].bits),
            daysOfMonth: UInt32(truncatingIfNeeded: values[2].bits),
            lastDayOfMonth: values[2].last,
            lastWeekdayOfMonth: values[2].lastWeekday,
            months: UInt16(truncatingIfNeeded: values[3].bits),
            weekdays: UInt8(truncatingIfNeeded: values[4].bits),
            lastWeekdays: values[4].lastWeekdays,
            nthWeekdays: values[4].nthWeekdays,
            daysMustMatchBoth: startsWithStar(words[2]) || startsWithStar(words[4]),
            keepsRealTimeSpacing: startsWithStar(words[0]) || startsWithStar(words[1]))
        guard fields.canEverFire else {
            if words[4].hasPrefix("*") || words[4] == "?" {
                throw CronParseError(
                    text: text, field: .dayOfMonth, fieldText: words[2],
                    reason: "no month in \"\(words[3])\" has such a day, so it would never fire; choose days that month has (February has 29 at most, April, June, September and November 30)")
            }
            throw CronParseError(
                text: text, field: .dayOfMonth, fieldText: words[2],
                reason: "it never falls on a day allowed by day-of-week \"\(words[4])\" in month \"\(words[3])\", so it would never fire")
        }
        return fields
    }
}
