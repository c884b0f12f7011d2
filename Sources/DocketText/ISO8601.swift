import Foundation

/// Instants as the tool and the dashboard print them.
///
/// Written out by hand rather than with `ISO8601DateFormatter`, which costs about 200 µs to make on
/// Linux: a page of 50 jobs spent most of its time making formatters. The text is the formatter's,
/// to the millisecond (a test compares the two on many instants).
package enum ISO8601 {
    /// `2026-03-08T07:00:00Z`, or with milliseconds when the instant has any (`…07:00:00.250Z`),
    /// rounded to the nearest millisecond.
    package static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        guard seconds - whole >= 0.0005 else { return text(wholeSeconds: Int64(whole), milliseconds: nil) }
        let total = Int64((seconds * 1000).rounded())
        let (second, millisecond) = total.quotientAndRemainder(dividingBy: 1000)
        return millisecond < 0
            ? text(wholeSeconds: second - 1, milliseconds: Int(millisecond + 1000))
            : text(wholeSeconds: second, milliseconds: Int(millisecond))
    }

    /// An optional instant, or `-`.
    package static func format(_ date: Date?) -> String {
        date.map { format($0) } ?? "-"
    }

    private static func text(wholeSeconds: Int64, milliseconds: Int?) -> String {
        var (days, secondOfDay) = wholeSeconds.quotientAndRemainder(dividingBy: 86_400)
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        let (year, month, day) = civil(days: days)
        var text = ""
        text.reserveCapacity(24)
        append(Int(year), width: 4, to: &text)
        text += "-"
        append(month, width: 2, to: &text)
        text += "-"
        append(day, width: 2, to: &text)
        text += "T"
        append(Int(secondOfDay / 3600), width: 2, to: &text)
        text += ":"
        append(Int(secondOfDay / 60 % 60), width: 2, to: &text)
        text += ":"
        append(Int(secondOfDay % 60), width: 2, to: &text)
        if let milliseconds {
            text += "."
            append(milliseconds, width: 3, to: &text)
        }
        text += "Z"
        return text
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    private static func civil(days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shifted + 2) / 5 + 1)
        let month = Int(shifted < 10 ? shifted + 3 : shifted - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }
}
