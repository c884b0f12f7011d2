import DocketCore
import Foundation

/// When a job should run: now, after a delay, at a date, or after a delay written as text.
public struct JobTiming: Sendable, Hashable {
    enum Storage: Sendable, Hashable {
        case now
        case delay(Duration)
        case date(Date)
        case text(String)
    }

    let storage: Storage

    /// As soon as a slot is free.
    public static let now = JobTiming(storage: .now)

    /// After `delay`; zero means now.
    public static func after(_ delay: Duration) -> JobTiming { JobTiming(storage: .delay(delay)) }

    /// After a delay written as text, as Mergent took it: `"5s"`, `"1.5h"`, `"2h45m"`, or ISO 8601
    /// such as `"PT5M"`.
    ///
    /// The unit form is one or more *number unit* pairs, largest unit first, each unit at most once:
    /// `w` (7 days), `d` (24 hours), `h`, `m`, `s`, `ms`, `us` or `µs`; units are lowercase so that `m`
    /// (minutes) is never read as months. Numbers may have a fraction (`"1.5h"`); a bare `"0"` means no
    /// delay. The ISO 8601 form is `P`, optional weeks and days, then optionally `T` and hours, minutes
    /// and seconds (`"PT5M"`, `"P1DT2H"`, `"PT0.5S"`); years and months are refused, having no fixed
    /// length. Surrounding whitespace is ignored; signs are refused, and so is anything over 100 years.
    /// Text that does not read is reported when the job is scheduled, as
    /// ``DocketError/invalidInput(_:)`` for the ``DocketError/InvalidInput/Field/delay`` field.
    public static func after(_ delay: String) -> JobTiming { JobTiming(storage: .text(delay)) }

    /// At `date`; a date in the past means now.
    public static func at(_ date: Date) -> JobTiming { JobTiming(storage: .date(date)) }

    /// The latest date a job may be scheduled for: the end of year 9999 (UTC).
    public static let latestDate = Date(timeIntervalSince1970: 253_402_300_799)

    /// The run-at instant this timing means at `now`.
    func runAt(now: Timestamp) throws(DocketError) -> Timestamp {
        switch storage {
        case .now:
            return now
        case .delay(let delay):
            return try Self.checked(delay, now: now)
        case .text(let text):
            let delay: Duration
            do throws(DelayParseError) {
                delay = try DelayText.parse(text)
            } catch {
                throw .invalid(.delay, text, "the delay \(text.debugDescription) cannot be read: \(error.reason)")
            }
            return try Self.checked(delay, now: now)
        case .date(let date):
            guard date.timeIntervalSince1970.isFinite else {
                throw .invalid(
                    .date, "\(date.timeIntervalSince1970) seconds since 1970",
                    "the date is not a point in time (\(date.timeIntervalSince1970) seconds since 1970); give a finite date")
            }
            guard date <= Self.latestDate else {
                throw .invalid(.date, "\(date)", "the date \(date) is after the end of year 9999; pick an earlier date")
            }
            return max(Timestamp(date), Timestamp(Date.distantPast))
        }
    }

    private static func checked(_ delay: Duration, now: Timestamp) throws(DocketError) -> Timestamp {
        guard delay >= .zero else {
            throw .invalid(.delay, "\(delay)", "the delay \(delay) is negative; use .now or a positive delay")
        }
        guard delay <= DelayText.maximum else {
            throw .invalid(.delay, "\(delay)", "the delay \(delay) is longer than the maximum \(DelayText.maximum)")
        }
        return now + delay
    }
}
