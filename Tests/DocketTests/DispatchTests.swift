import Docket
import DocketCore
import DocketTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct DispatchTests {
    @Test func dueJobsRunInRunAtOrder() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let order = Recorder<String>()
        try harness.scheduler.register(Note.self) { note, _ in order.append(note.text) }
        _ = try await harness.note("third", .after(.seconds(3)))
        _ = try await harness.note("first", .after(.seconds(1)))
        let last = try await harness.note("second", .after(.seconds(2)))
        harness.start()
        harness.clock.advance(by: .seconds(10))
        let a = await harness.next(.succeeded)
        let b = await harness.next(.succeeded)
        let c = await harness.next(.succeeded)
        #expect([a, b, c].allSatisfy { $0 != nil })
        #expect(order.all == ["first", "second", "third"])
        #expect(try await harness.scheduler.job(last)?.state == .completed)
        try await harness.stop()
    }

    @Test func priorityOrdersJobsDueTogether() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 1 }
        let order = Recorder<String>()
        try harness.scheduler.register(Note.self) { note, _ in order.append(note.text) }
        _ = try await harness.note("low", .after(.seconds(1)), options: JobOptions(priority: 9))
        _ = try await harness.note("high", .after(.seconds(2)), options: JobOptions(priority: 0))
        _ = try await harness.note("middle", .after(.seconds(1)), options: JobOptions(priority: 5))
        harness.start()
        harness.clock.advance(by: .seconds(5))
        for _ in 0..<3 { _ = await harness.next(.succeeded) }
        #expect(order.all == ["high", "middle", "low"])
        try await harness.stop()
    }

    @Test func aJobDoesNotRunBeforeItsTime() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let later = try await harness.note("later", .after(.seconds(5)))
        harness.start()
        harness.clock.advance(by: .seconds(4))
        // A job due now proves the scheduler has looked at the clock at 4 s or later.
        let probe = try await harness.note("probe")
        _ = await harness.next(.succeeded, of: probe)
        #expect(!harness.seen.contains { $0.jobID == later && $0.kind == .started })
        #expect(try await harness.scheduler.job(later)?.state == .scheduled)
        harness.clock.advance(by: .seconds(1))
        let done = await harness.next(.succeeded, of: later)
        #expect(done?.attempt == 1)
        try await harness.stop()
    }

    @Test func aJobClaimedAheadStartsOnTimeAndShutdownGivesItBackWithItsTime() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { _, _ in }
        let start = harness.clock.wallTimestamp
        let first = try await harness.note("first", .after(.seconds(5)))
        let second = try await harness.note("second", .after(.seconds(10)))
        harness.start()
        harness.clock.advance(by: .milliseconds(4_995))
        // The probe's claim reaches 10 ms ahead, so it takes `first` too, which must wait for its time.
        let probe = try await harness.note("probe")
        _ = await harness.next(.succeeded, of: probe)
        #expect(try await harness.scheduler.job(first)?.state == .running)
        #expect(!harness.seen.contains { $0.jobID == first && $0.kind == .started })
        harness.clock.advance(by: .milliseconds(5))
        let started = await harness.next(.started, of: first)
        #expect(started != nil)
        #expect(harness.clock.wallTimestamp == start + .seconds(5))

        harness.clock.advance(by: .milliseconds(4_995))
        let probe2 = try await harness.note("probe 2")
        _ = await harness.next(.succeeded, of: probe2)
        #expect(try await harness.scheduler.job(second)?.state == .running)
        try await harness.stop()
        let given = try #require(try await harness.scheduler.job(second))
        #expect(given.state == .scheduled)
        #expect(given.runAt == (start + .seconds(10)).date)
        #expect(given.attempt == 0)
    }

    @Test func aFilteredSubscriberGetsOnlyTheKindsItAskedFor() async throws {
        let harness = try SchedulerTestHarness()
        try harness.scheduler.register(Note.self) { note, _ in
            if note.text == "bad" { throw JobControl.discard(reason: "bad") }
        }
        var filtered = harness.scheduler.events(of: [.succeeded, .discarded]).makeAsyncIterator()
        let good = try await harness.note("good")
        let bad = try await harness.note("bad")
        harness.start()
        var got: [SchedulerEvent] = []
        while got.count < 2, let event = await filtered.next() { got.append(event) }
        #expect(Set(got.map(\.kind)) == [.succeeded, .discarded])
        #expect(Set(got.map(\.jobID)) == [good, bad])
        // The unfiltered stream saw the rest (scheduled, started) in the same run.
        _ = await harness.next(.succeeded, of: good)
        #expect(harness.seen.contains { $0.kind == .started && $0.jobID == good })
        try await harness.stop()
    }

    @Test func delaysGivenAsTextAndDatesSetTheRunAt() async throws {
        let harness = try SchedulerTestHarness()
        let now = harness.clock.wallTimestamp
        let text = try await harness.note("text", .after("2h45m"))
        let iso = try await harness.note("iso", .after("PT5M"))
        let date = try await harness.note("date", .at((now + .seconds(90)).date))
        #expect(try await harness.scheduler.job(text)?.runAt == (now + .seconds(9900)).date)
        #expect(try await harness.scheduler.job(iso)?.runAt == (now + .seconds(300)).date)
        #expect(try await harness.scheduler.job(date)?.runAt == (now + .seconds(90)).date)
    }

    @Test func aJobWithoutHandlerWaitsUntilOneIsRegistered() async throws {
        let harness = try SchedulerTestHarness()
        let id = try await harness.scheduler.schedule(name: "mystery", payload: [1, 2, 3]).id
        harness.start()
        let waiting = await harness.next(.waitingForHandler, of: id)
        #expect(waiting?.jobName == "mystery")
        let before = try #require(try await harness.scheduler.job(id))
        #expect(before.state == .scheduled)
        #expect(before.attempt == 0)
        let payloads = Recorder<[UInt8]>()
        try harness.scheduler.register("mystery") { context in payloads.append(context.payload) }
        let done = await harness.next(.succeeded, of: id)
        #expect(done?.attempt == 1)
        #expect(payloads.all == [[1, 2, 3]])
        try await harness.stop()
    }

    @Test func theWallClockJumpingMakesJobsLateAtWorstAndNeverRunsThemTwice() async throws {
        let harness = try SchedulerTestHarness()
        let runs = Recorder<String>()
        try harness.scheduler.register(Note.self) { note, _ in runs.append(note.text) }
        let back = try await harness.note("back", .after(.seconds(10)))
        harness.start()
        harness.clock.jumpWallClock(by: .seconds(-3600))
        harness.clock.advance(by: .seconds(10))
        let probe = try await harness.note("probe")
        _ = await harness.next(.succeeded, of: probe)
        #expect(try await harness.scheduler.job(back)?.state == .scheduled)
        harness.clock.advance(by: .seconds(3600))
        _ = await harness.next(.succeeded, of: back)
        let forward = try await harness.note("forward", .after(.seconds(600)))
        harness.clock.jumpWallClock(by: .seconds(601))
        harness.clock.advance(by: .seconds(1))
        _ = await harness.next(.succeeded, of: forward)
        #expect(runs.all.filter { $0 != "probe" } == ["back", "forward"])
        try await harness.stop()
    }

    @Test func atMostTheConfiguredNumberOfHandlersRunAtOnce() async throws {
        let harness = try SchedulerTestHarness { $0.maxConcurrentJobs = 2 }
        let gate = Gate()
        let active = Recorder<Int>()
        let counter = Locked(0)
        try harness.scheduler.register(Note.self) { _, _ in
            active.append(counter.withLock { $0 += 1; return $0 })
            await gate.wait()
            counter.withLock { $0 -= 1 }
        }
        let ids = try await harness.scheduler.schedule((0..<5).map { JobRequest(Note(text: "\($0)")) }).map(\.id)
        harness.start()
        _ = await harness.next(.started)
        _ = await harness.next(.started)
        // Only the two jobs that run are running; the others wait in the journal, still scheduled.
        #expect(try await harness.scheduler.counts()[.running] == 2)
        #expect(try await harness.scheduler.counts()[.scheduled] == 3)
        gate.open()
        for _ in ids { _ = await harness.next(.succeeded) }
        #expect(try await harness.scheduler.counts()[.completed] == 5)
        #expect(active.all.count == 5)
        #expect(active.all.max() ?? 0 <= 2)
        try await harness.stop()
    }
}
