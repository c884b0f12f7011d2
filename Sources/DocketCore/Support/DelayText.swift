/// Reads delays written as text: Mergent's `"5s"` and `"2h45m"`, and ISO 8601's `"PT5M"`.
///
/// ## Unit form
///
/// One or more *number unit* pairs with no spaces between, largest unit first, each unit at most
/// once: `"90s"`, `"1.5h"`, `"2h45m"`, `"1d12h"`, `"500ms"`. The units, lowercase only because `m`
/// (minutes) and `M` (months, elsewhere) must never be confused:
///
/// | Unit | Meaning |
/// |---|---|
/// | `w` | week, 7 days |
/// | `d` | day, 24 hours (not a calendar day: no daylight-saving shifts) |
/// | `h`, `m`, `s` | hours, minutes, seconds |
/// | `ms` | milliseconds |
/// | `us`, `µs` | microseconds, Docket's resolution |
///
/// Numbers are ASCII digits with an optional fraction (`"1.5h"`, `"0.25s"`; digits on both sides of
/// the point, at most 18 after it). A bare `"0"` means no delay, as in Go; any other number needs a
/// unit. Nanoseconds, years and months are refused: the first is finer than the journal can store,
/// the others have no fixed length.
///
/// ## ISO 8601 form
///
/// `P`, then optional weeks and days, then optionally `T` and hours, minutes and seconds:
/// `"PT5M"`, `"P1DT2H"`, `"PT0.5S"`, `"P2W"`, `"P1W2DT3H4M5.5S"`. Designators may be either case
/// (`"pt5m"`); the `T` keeps `M` unambiguous there. Only the last component may have a fraction,
/// written with `.` or `,` as the standard allows. Years (`Y`) and months (`M` before `T`) are
/// refused with a hint to use days.
///
/// ## Both forms
///
/// Leading and trailing whitespace is ignored. Signs are refused (a delay counts forward), as is
/// anything longer than ``maximum``. Fractions below a microsecond are dropped. Parsing never traps,
/// whatever the input: all arithmetic is checked.
package enum DelayText {
    /// The longest delay accepted: 100 Julian years (36 525 days).
    ///
    /// Far beyond any sensible retry or schedule, yet about 3 000 times below the `Int64`
    /// microsecond range, so a delay added to any real timestamp stays exact. A typo such as an
    /// extra digit is caught rather than scheduling a job for the year 30 000.
    package static let maximum: Duration = .seconds(maximumMicroseconds / 1_000_000)

    static let maximumMicroseconds: Int64 = 36_525 * 86_400 * 1_000_000

    /// Parses a delay in either form above.
    ///
    /// - Throws: ``DelayParseError`` saying what was wrong and what to write instead.
    /// - Returns: the delay, in whole microseconds, between zero and ``maximum``.
    /// - Complexity: O(*n*) in the length of `text`.
    package static func parse(_ text: String) throws(DelayParseError) -> Duration {
        var parser = DelayParser(text)
        do throws(DelayParser.Failure) {
            return .microseconds(try parser.parse())
        } catch {
            throw DelayParseError(text: text, reason: error.reason)
        }
    }
}

/// Why a delay text was refused, with a suggestion of what to write instead.
package struct DelayParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given, untrimmed.
    package var text: String
    /// What was wrong, and what would be accepted instead.
    package var reason: String

    /// Describes a refused delay.
    package init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    /// `invalid delay "5x": unknown unit 'x'; …`, ready for a log line or an HTTP 400 body.
    package var description: String {
        "invalid delay \"\(text)\": \(reason)"
    }
}
