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
    /// such as `"PT5M"`. See `DelayText` for the grammar.
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
                throw .invalidDelay(error)
            }
            return try Self.checked(delay, now: now)
        case .date(let date):
            guard date.timeIntervalSince1970.isFinite else {
                throw .invalidJob("the date is not a point in time (\(date.timeIntervalSince1970) seconds since 1970); give a finite date")
            }
            guard date <= Self.latestDate else {
                throw .invalidJob("the date \(date) is after the end of year 9999; pick an earlier date")
            }
            return max(Timestamp(date), Timestamp(Date.distantPast))
        }
    }

    private static func checked(_ delay: Duration, now: Timestamp) throws(DocketError) -> Timestamp {
        guard delay >= .zero else {
            throw .invalidJob("the delay \(delay) is negative; use .now or a positive delay")
        }
        guard delay <= DelayText.maximum else {
            throw .invalidJob("the delay \(delay) is longer than the maximum \(DelayText.maximum)")
        }
        return now + delay
    }
}
