import DocketCore
import Testing

@Suite struct DelayTextTests {
    @Test(arguments: [
        ("5s", Duration.seconds(5)),
        ("90s", .seconds(90)),
        ("1.5h", .seconds(5_400)),
        ("2h45m", .seconds(9_900)),
        ("500ms", .milliseconds(500)),
        ("1d", .seconds(86_400)),
        ("1w", .seconds(604_800)),
        ("1d12h", .seconds(129_600)),
        ("1h30m15s500ms250us", .microseconds(5_415_500_250)),
        ("250\u{B5}s", .microseconds(250)),
        ("250\u{3BC}s", .microseconds(250)),
        ("0.25s", .milliseconds(250)),
        ("1.000001s", .microseconds(1_000_001)),
        ("0.0000019s", .microseconds(1)),
        ("0.333333333333333333h", .microseconds(1_199_999_999)),
        ("007s", .seconds(7)),
        ("0", .zero),
        ("0s", .zero),
        (" \t5s\n", .seconds(5)),
        ("36525d", .seconds(3_155_760_000)),
        ("5217w6d", .seconds(3_155_760_000)),
        ("PT5M", .seconds(300)),
        ("P1DT2H", .seconds(93_600)),
        ("PT0.5S", .milliseconds(500)),
        ("PT0,5S", .milliseconds(500)),
        ("P2W", .seconds(1_209_600)),
        ("P1D", .seconds(86_400)),
        ("PT36H", .seconds(129_600)),
        ("PT1.5H", .seconds(5_400)),
        ("pt5m", .seconds(300)),
        ("P1W2DT3H4M5.5S", .microseconds(788_645_500_000)),
        ("P36525D", .seconds(3_155_760_000)),
        ("PT0S", .zero),
    ])
    func accepts(text: String, expected: Duration) throws {
        #expect(try DelayText.parse(text) == expected)
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("  \n", "it is empty"),
        ("5x", "unknown unit 'x'"),
        ("5sec", "unknown unit 'sec'"),
        ("5", "5 has no unit"),
        ("1.5", "1.5 has no unit"),
        ("h", "expected a number before 'h'"),
        ("-5s", "cannot be negative"),
        ("+5s", "a sign is not allowed"),
        ("5s5s", "the unit s appears twice"),
        ("1us1\u{B5}s", "appears twice"),
        ("45m2h", "write units from largest to smallest"),
        ("1e99h", "exponent notation is not supported"),
        ("1E5s", "exponent notation is not supported"),
        ("36526d", "longer than the maximum"),
        ("36525d1us", "longer than the maximum"),
        ("99999999999999999999999999h", "longer than the maximum"),
        ("\u{665}s", "not an ASCII digit"),
        ("\u{FF15}s", "not an ASCII digit"),
        ("2h 45m", "contains a space"),
        ("5H", "must be lowercase; write h"),
        ("5MS", "must be lowercase; write ms"),
        ("5M", "months have no fixed length"),
        ("1y", "years and months have no fixed length"),
        ("5ns", "nanoseconds are finer"),
        (".5s", "needs digits on both sides"),
        ("5.s", "needs digits on both sides"),
        ("5.", "needs digits on both sides"),
        ("1.1234567890123456789s", "more than 18 decimal places"),
        ("1.5.5s", "unexpected '.'"),
        ("5s!", "unexpected '!'"),
        ("5\u{79D2}", "unexpected '\u{79D2}'"),
        ("P", "P must be followed by at least one component"),
        ("PT", "T must be followed by hours, minutes or seconds"),
        ("P1DT", "T must be followed by hours, minutes or seconds"),
        ("P1Y", "years have no fixed length; use days"),
        ("P1M", "months have no fixed length; use days"),
        ("P5H", "go after T"),
        ("PT5D", "go before T"),
        ("PT5W", "go before T"),
        ("P1.5DT2H", "only the last component may have a fraction"),
        ("PT5", "5 has no designator"),
        ("PTM", "expected a number before 'M'"),
        ("PT1HT2M", "T appears twice"),
        ("PT5M1H", "comes after"),
        ("PT5M5M", "appears twice"),
        ("P5X", "unexpected 'X'"),
        ("PT-5M", "cannot be negative"),
        ("-PT5M", "cannot be negative"),
        ("P36526D", "longer than the maximum"),
        ("P99999999999999999999D", "longer than the maximum"),
        ("PT1.5S5", "only the last component may have a fraction"),
    ])
    func rejects(text: String, reason: String) {
        let error = #expect(throws: DelayParseError.self) { try DelayText.parse(text) }
        #expect(error?.text == text)
        #expect(error?.reason.contains(reason) == true, "reason was: \(error?.reason ?? "none")")
    }

    @Test func errorDescriptionQuotesTheTextAndSuggestsAFix() {
        do throws(DelayParseError) {
            _ = try DelayText.parse("5x")
            Issue.record("5x must be refused")
        } catch {
            #expect(error.description.hasPrefix("invalid delay \"5x\": unknown unit 'x'"))
            #expect(error.description.contains("2h45m"))
        }
    }

    @Test func maximumIsOneHundredJulianYears() {
        #expect(DelayText.maximum == .seconds(100 * 36_525 * 864))
    }

    @Test func parsingRandomGarbageNeverTraps() {
        var generator = SplitMix64(seed: 77)
        let alphabet = Array("0123456789.,-+ PTWDHMSmsuhdwey\u{B5}\u{665}x")
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            if let delay = try? DelayText.parse(text) {
                #expect(delay >= .zero && delay <= DelayText.maximum, "\(text) gave \(delay)")
            }
        }
    }
}
