import Docket
import DocketCore
import DocketTesting
import Foundation
import Testing

/// Delays and dates at and past their limits. CommandTests covers "5x" and a negative delay in
/// seconds; the parser's grammar is in DocketCoreTests' DelayTextTests.
@Suite(.timeLimit(.minutes(1)))
struct BadTimingTests {
    /// Malformed delay text ("5x", "PT", "-5s", "1e99h", "", "5"…) gets `invalidInput` for the delay, quoting it and saying what to write.
    @Test(arguments: [
        ("5x", "unknown unit 'x'"), ("PT", "T must be followed by hours, minutes or seconds"),
        ("-5s", "cannot be negative"), ("1e99h", "exponent notation is not supported"), ("", "it is empty"),
        ("   ", "it is empty"), ("5", "has no unit"), ("1h1h", "appears twice"), ("P1M", "months have no fixed length"),
        ("1ns", "finer than Docket's microsecond resolution"), ("36526d", "longer than the maximum"),
        ("\u{0665}s", "not an ASCII digit"),
    ])
    func malformedDelayTextIsRefusedSayingWhy(text: String, reason: String) async throws {
        let harness = try SchedulerTestHarness()
        let error = await #expect(throws: DocketError.self) {
            try await harness.scheduler.schedule(Note(text: "x"), .after(text))
        }
        let input = try #require(error?.invalidInput, "\(text.debugDescription) gave \(String(describing: error))")
        #expect(input.field == .delay)
        #expect(input.value == text)
        #expect(input.reason.contains(reason), "\(input)")
        #expect(error?.description.hasPrefix("invalid delay: the delay \(text.debugDescription) cannot be read: ") == true)
        #expect(try await harness.scheduler.counts().total == 0)
    }

    /// Zero delays mean now, 100 years is the longest delay; longer (to `Int64.max` seconds) or negative gets `invalidInput` for the delay.
    @Test func delaysAtAndPastTheirLimits() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let now = harness.clock.wallTimestamp
        let accepted: [(JobTiming, Timestamp)] = [
            (.after(.zero), now), (.after(.nanoseconds(999)), now), (.after("0"), now),
            (.after(DelayText.maximum), now + DelayText.maximum), (.after("36525d"), now + DelayText.maximum),
        ]
        for (timing, runAt) in accepted {
            let id = try await scheduler.schedule(Note(text: "x"), timing).id
            #expect(try await scheduler.job(id)?.runAt == runAt.date, "\(timing)")
        }
        let refused: [(JobTiming, String)] = [
            (.after(DelayText.maximum + .microseconds(1)), "is longer than the maximum"),
            (.after(.seconds(Int64.max)), "is longer than the maximum"),
            (.after(.nanoseconds(-1)), "is negative; use .now or a positive delay"),
        ]
        for (timing, words) in refused {
            let input = await docketError { try await scheduler.schedule(Note(text: "x"), timing) }?.invalidInput
            #expect(input?.field == .delay, "\(timing): \(String(describing: input))")
            #expect(input?.reason.contains(words) == true, "\(timing): \(String(describing: input))")
        }
        #expect(try await scheduler.counts() == JobCounts(scheduled: accepted.count))
    }

    /// Dates after 9999, NaN and ±infinity get `invalidInput` for the date saying which; the last second of 9999 is accepted.
    @Test func datesPastTheYear9999OrNotFiniteAreRefused() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        for date in [JobTiming.latestDate, Date.distantFuture] {
            let id = try await scheduler.schedule(Note(text: "\(date)"), .at(date)).id
            #expect(try await scheduler.job(id)?.runAt == Timestamp(date).date)
        }
        let refused: [(Date, String)] = [
            (JobTiming.latestDate.addingTimeInterval(1), "is after the end of year 9999"),
            (Date(timeIntervalSince1970: 1e300), "is after the end of year 9999"),
            (Date(timeIntervalSince1970: .nan), "is not a point in time"),
            (Date(timeIntervalSince1970: .infinity), "is not a point in time"),
            (Date(timeIntervalSince1970: -.infinity), "is not a point in time"),
        ]
        for (date, words) in refused {
            let input = await docketError { try await scheduler.schedule(Note(text: "x"), .at(date)) }?.invalidInput
            #expect(input?.field == .date, "\(date.timeIntervalSince1970): \(String(describing: input))")
            #expect(input?.reason.contains(words) == true, "\(date.timeIntervalSince1970): \(String(describing: input))")
        }
        #expect(try await scheduler.counts() == JobCounts(scheduled: 2))
    }

    /// Rescheduling to a malformed delay or a refused date throws the same errors and leaves the job as it was.
    @Test func rescheduleRefusesBadTimingAndLeavesTheJob() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let id = try await scheduler.schedule(Note(text: "x"), .after(.seconds(60))).id
        let before = try #require(try await scheduler.job(id))
        let delay = await docketError { try await scheduler.reschedule(id, to: .after("-5s")) }
        #expect(delay?.invalidInput?.field == .delay, "\(String(describing: delay))")
        let date = await docketError { try await scheduler.reschedule(id, to: .at(JobTiming.latestDate.addingTimeInterval(1))) }
        #expect(date?.invalidInput?.field == .date)
        #expect(date?.invalidInput?.reason.contains("after the end of year 9999") == true)
        #expect(try await scheduler.job(id) == before)
    }
}
