import Docket
import DocketTesting
import Foundation
import Testing

/// Delays and dates at and past their limits. CommandTests covers "5x" and a negative delay in
/// seconds; the parser's grammar is in DocketCoreTests' DelayTextTests.
@Suite(.timeLimit(.minutes(1)))
struct BadTimingTests {
    /// Malformed delay text ("5x", "PT", "-5s", "1e99h", "", "5"…) gets `invalidDelay` quoting it and saying what to write.
    @Test(arguments: [
        ("5x", "unknown unit 'x'"), ("PT", "T must be followed by hours, minutes or seconds"),
        ("-5s", "cannot be negative"), ("1e99h", "exponent notation is not supported"), ("", "it is empty"),
        ("   ", "it is empty"), ("5", "has no unit"), ("1h1h", "appears twice"), ("P1M", "months have no fixed length"),
        ("1ns", "finer than Docket's microsecond resolution"), ("36526d", "longer than the maximum"),
        ("\u{0665}s", "not an ASCII digit"),
    ])
    func malformedDelayTextIsRefusedSayingWhy(text: String, reason: String) async throws {
        let harness = try SchedulerTestHarness()
        let error = await docketError { try await harness.scheduler.schedule(Note(text: "x"), .after(text)) }
        guard case .invalidDelay(let parseError)? = error else {
            Issue.record("\(text.debugDescription) gave \(String(describing: error))")
            return
        }
        #expect(parseError.text == text)
        #expect(parseError.reason.contains(reason), "\(parseError)")
        #expect(error?.description.hasPrefix("invalid delay: invalid delay \(text.debugDescription): ") == true)
        #expect(try await harness.scheduler.counts().isEmpty)
    }

    /// Zero delays mean now, 100 years is the longest delay; longer (to `Int64.max` seconds) or negative gets `invalidJob`.
    @Test func delaysAtAndPastTheirLimits() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let now = harness.clock.wallTime
        let accepted: [(JobTiming, Timestamp)] = [
            (.after(.zero), now), (.after(.nanoseconds(999)), now), (.after("0"), now),
            (.after(DelayText.maximum), now + DelayText.maximum), (.after("36525d"), now + DelayText.maximum),
        ]
        for (timing, runAt) in accepted {
            let id = try await scheduler.schedule(Note(text: "x"), timing).id
            #expect(try await scheduler.job(id)?.job.runAt == runAt, "\(timing)")
        }
        let refused: [(JobTiming, String)] = [
            (.after(DelayText.maximum + .microseconds(1)), "is longer than the maximum"),
            (.after(.seconds(Int64.max)), "is longer than the maximum"),
            (.after(.nanoseconds(-1)), "is negative; use .now or a positive delay"),
        ]
        for (timing, words) in refused {
            let reason = await docketError { try await scheduler.schedule(Note(text: "x"), timing) }?.invalidJobReason
            #expect(reason?.contains(words) == true, "\(timing): \(String(describing: reason))")
        }
        #expect(try await scheduler.counts() == [.scheduled: accepted.count])
    }

    /// Dates after 9999, NaN and ±infinity get `invalidJob` saying which; the last second of 9999 is accepted.
    @Test func datesPastTheYear9999OrNotFiniteAreRefused() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        for date in [JobTiming.latestDate, Date.distantFuture] {
            let id = try await scheduler.schedule(Note(text: "\(date)"), .at(date)).id
            #expect(try await scheduler.job(id)?.job.runAt == Timestamp(date))
        }
        let refused: [(Date, String)] = [
            (JobTiming.latestDate.addingTimeInterval(1), "is after the end of year 9999"),
            (Date(timeIntervalSince1970: 1e300), "is after the end of year 9999"),
            (Date(timeIntervalSince1970: .nan), "is not a point in time"),
            (Date(timeIntervalSince1970: .infinity), "is not a point in time"),
            (Date(timeIntervalSince1970: -.infinity), "is not a point in time"),
        ]
        for (date, words) in refused {
            let reason = await docketError { try await scheduler.schedule(Note(text: "x"), .at(date)) }?.invalidJobReason
            #expect(reason?.contains(words) == true, "\(date.timeIntervalSince1970): \(String(describing: reason))")
        }
        #expect(try await scheduler.counts() == [.scheduled: 2])
    }

    /// Rescheduling to a malformed delay or a refused date throws the same errors and leaves the job as it was.
    @Test func rescheduleRefusesBadTimingAndLeavesTheJob() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let id = try await scheduler.schedule(Note(text: "x"), .after(.seconds(60))).id
        let before = try #require(try await scheduler.job(id)?.job)
        let delay = await docketError { try await scheduler.reschedule(id, to: .after("-5s")) }
        guard case .invalidDelay? = delay else {
            Issue.record("expected invalidDelay, got \(String(describing: delay))")
            return
        }
        let date = await docketError { try await scheduler.reschedule(id, to: .at(JobTiming.latestDate.addingTimeInterval(1))) }
        #expect(date?.invalidJobReason?.contains("after the end of year 9999") == true)
        #expect(try await scheduler.job(id)?.job == before)
    }
}
