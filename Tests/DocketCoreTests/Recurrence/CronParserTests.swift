import DocketCore
import Testing

@Suite struct CronParserTests {
    func fields(_ text: String) throws -> CronFields {
        guard case .fields(let fields) = try CronExpression(text).schedule else {
            Issue.record("\(text) is not a field schedule")
            throw CronParseError(text: text, reason: "not fields")
        }
        return fields
    }

    static func mask<T: FixedWidthInteger>(_ values: some Sequence<Int>) -> T {
        values.reduce(T(0)) { $0 | (T(1) << T($1)) }
    }

    @Test func fieldForms() throws {
        let fields = try fields("*/15 1-5,22 5/10 JAN-mar/2 mon-fri")
        #expect(fields.minutes == Self.mask([0, 15, 30, 45]))
        #expect(fields.hours == Self.mask([1, 2, 3, 4, 5, 22]))
        #expect(fields.daysOfMonth == Self.mask([5, 15, 25]))
        #expect(fields.months == Self.mask([1, 3]))
        #expect(fields.weekdays == Self.mask(1...5))
        #expect(!fields.daysMustMatchBoth)
        #expect(fields.keepsRealTimeSpacing)
        #expect(try self.fields("1-30/5 * * * *").minutes == Self.mask([1, 6, 11, 16, 21, 26]))
        #expect(try self.fields("5/10 * * * *").minutes == Self.mask([5, 15, 25, 35, 45, 55]))
        #expect(try self.fields("*/100 * * * *").minutes == Self.mask([0]))
        #expect(try self.fields("0005 * * * *").minutes == Self.mask([5]))
    }

    @Test func sundayIsZeroOrSeven() throws {
        #expect(try fields("0 0 * * 7").weekdays == Self.mask([0]))
        #expect(try fields("0 0 * * 0").weekdays == Self.mask([0]))
        #expect(try fields("0 0 * * SUN").weekdays == Self.mask([0]))
        #expect(try fields("0 0 * * 5-7").weekdays == Self.mask([0, 5, 6]))
        // As in cronsim: a step over the day-of-week range 0-7 reaches 7 only from an odd start.
        #expect(try fields("0 0 * * */2").weekdays == Self.mask([0, 2, 4, 6]))
        #expect(try fields("0 0 * * 1/2").weekdays == Self.mask([0, 1, 3, 5]))
    }

    @Test func specialDays() throws {
        let last = try fields("0 9 L * 5L,FRIL,sunl")
        #expect(last.lastDayOfMonth && !last.lastWeekdayOfMonth)
        #expect(last.lastWeekdays == Self.mask([0, 5]))
        #expect(try fields("0 9 * * 5L") == fields("0 9 * * FRIL"))
        let nth = try fields("0 9 LW * MON#1,1#2,sat#5")
        #expect(nth.lastWeekdayOfMonth)
        #expect(nth.nthWeekdays == Self.mask([0 * 7 + 1, 1 * 7 + 1, 4 * 7 + 6]))
        #expect(try fields("0 9 * * 7#1").nthWeekdays == Self.mask([0]))
    }

    @Test func questionMarkAndTheVixieRule() throws {
        #expect(try fields("0 12 ? * MON") == fields("0 12 * * MON"))
        #expect(try fields("0 12 1 * ?") == fields("0 12 1 * *"))
        #expect(try !fields("0 12 1 * MON").daysMustMatchBoth)
        #expect(try fields("0 12 */2 * MON").daysMustMatchBoth)
        #expect(try fields("0 12 1 * *").daysMustMatchBoth)
        #expect(try !fields("0 2 * * *").keepsRealTimeSpacing)
        #expect(try fields("0 */2 * * *").keepsRealTimeSpacing)
        #expect(try !fields("0-59 2 * * *").keepsRealTimeSpacing)
    }

    @Test func macros() throws {
        #expect(try fields("@yearly") == fields("0 0 1 1 *"))
        #expect(try fields("@ANNUALLY") == fields("0 0 1 1 *"))
        #expect(try fields("@monthly") == fields("0 0 1 * *"))
        #expect(try fields("@weekly") == fields("0 0 * * 0"))
        #expect(try fields("@daily") == fields("0 0 * * *"))
        #expect(try fields("@midnight") == fields("0 0 * * *"))
        #expect(try fields(" @hourly\t") == fields("0 * * * *"))
        #expect(try CronExpression("@every 90s").schedule == .every(seconds: 90))
        #expect(try CronExpression("@every 1h30m").schedule == .every(seconds: 5_400))
        #expect(try CronExpression("@every PT1S").schedule == .every(seconds: 1))
        #expect(try CronExpression("@Every 2d").schedule == .every(seconds: 172_800))
    }

    @Test(arguments: [
        ("", nil, "empty"),
        ("* * * *", nil, "it has 4 fields; write 5"),
        ("* * * * * *", nil, "seconds and years are not supported"),
        ("61 * * * *", CronParseError.Field.minute, "61 is out of range; minutes are 0-59"),
        ("* 24 * * *", .hour, "hours are 0-23"),
        ("* * 0 * *", .dayOfMonth, "days of the month are 1-31"),
        ("* * * 13 *", .month, "months are 1-12 or JAN-DEC"),
        ("* * * * 8", .dayOfWeek, "0 and 7 are Sunday"),
        ("0 0 30 2 *", .dayOfMonth, "no month in \"2\" has such a day"),
        ("0 0 31 4,6 *", .dayOfMonth, "never fire"),
        ("0 0 */31 * MON#5", .dayOfMonth, "never falls on a day allowed by day-of-week \"MON#5\""),
        ("5-1 * * * *", .minute, "the range 5-1 runs backwards; write the smaller value first, as in 1-5"),
        ("*/0 * * * *", .minute, "a step of 0 never advances"),
        ("1,,2 * * * *", .minute, "empty item"),
        ("* * * FOO *", .month, "unknown name 'FOO'; names are JAN-DEC"),
        ("* * * * MONDAY", .dayOfWeek, "unknown name 'MONDAY'"),
        ("x * * * *", .minute, "unknown name 'X'; this field takes numbers only"),
        ("? * * * *", .minute, "? (any) is allowed only in the day-of-month and day-of-week fields"),
        ("* * * * L", .dayOfWeek, "L alone belongs in the day-of-month field"),
        ("* * * * 1#6", .dayOfWeek, "'6' after # must be 1-5"),
        ("* * L-3 * *", .dayOfMonth, "L and LW stand alone"),
        ("99999999999999999999 * * * *", .minute, "out of range"),
        ("@reboot", nil, "@reboot is not supported"),
        ("@fortnightly", nil, "unknown macro @fortnightly"),
        ("@daily 5", nil, "@daily takes nothing after it"),
        ("@every", nil, "@every needs a delay"),
        ("@every 1h 30m", nil, "one delay with no spaces"),
        ("@every 500ms", nil, "shorter than the minimum of 1s"),
        ("@every 1.5s", nil, "not a whole number of seconds"),
        ("@every 5x", nil, "@every: unknown unit 'x'"),
    ])
    func refuses(text: String, field: CronParseError.Field?, message: String) {
        do {
            _ = try CronExpression(text)
            Issue.record("\"\(text)\" was accepted")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.hasPrefix("invalid cron expression \"\(text)\""))
            if let field {
                #expect(error.description.contains("\(field.rawValue) \"\(error.fieldText ?? "")\""))
            }
        }
    }

    @Test func neverTrapsOnArbitraryText() {
        let alphabet = Array("0123456789*/,-#?LW LMONFRIJANDECsun@every \t1h5x")
        let fieldAlphabet = Array("0123456789*/,-#L")
        var random = SplitMix64(seed: 0x5EED_C205)
        var accepted = 0
        for _ in 0..<20_000 {
            let text: String
            if Bool.random(using: &random) {
                let length = Int.random(in: 0...24, using: &random)
                text = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            } else {
                // Five short fields, which parse often enough to exercise the search as well.
                text = (0..<5).map { _ in
                    Int.random(in: 0..<5, using: &random) < 2 ? "*" : String((0..<Int.random(in: 1...3, using: &random)).map { _ in fieldAlphabet.randomElement(using: &random)! })
                }.joined(separator: " ")
            }
            guard let expression = try? CronExpression(text) else { continue }
            accepted += 1
            let next = expression.nextFiring(after: 1_767_225_600, in: FixedZoneRules.utc)
            #expect(next.map { $0 > 1_767_225_600 } ?? false, "\(text)")
        }
        #expect(accepted > 200)
    }
}
