import Docket
import DocketSQLite
import DocketTesting
import Testing

/// Queue limits with the real run loop: a concurrency limit that holds over 10,000 jobs (from the
/// handlers and from the journal's start and end times), fair shares with priorities within each
/// queue, bad declarations, and the handler's rate-limited result.
@Suite struct QueueLimitTests {
    /// The most intervals open at once among `intervals` (start, end); an end at the instant of a
    /// start closes first, as a tick records the end before the claim that fills its slot.
    static func maxOverlap(_ intervals: [(start: Double, end: Double)]) -> Int {
        let events = intervals.flatMap { [($0.start, 1), ($0.end, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var open = 0
        var most = 0
        for (_, change) in events {
            open += change
            most = max(most, open)
        }
        return most
    }

    @Test func aLimitOfTwoHoldsOverTenThousandJobs() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxConcurrentJobs = 16
        configuration.durability = .normal
        configuration.queues = [JobQueue("narrow", maxConcurrentJobs: 2)]
        let scheduler = try JobScheduler.inMemory(configuration: configuration)
        let gauge = Gauge()
        try scheduler.register("work") { context in
            guard context.queue == "narrow" else { return }
            gauge.enter()
            await Task.yield()
            gauge.leave()
        }
        let narrow = 10_000
        let wide = 2_000
        for _ in 0..<(narrow / 1_000) {
            _ = try await scheduler.schedule(
                (0..<1_000).map { _ in JobRequest(name: "work", options: JobOptions(queue: "narrow")) })
        }
        _ = try await scheduler.schedule((0..<wide).map { _ in JobRequest(name: "work", options: JobOptions(queue: "wide")) })
        let stream = scheduler.events(of: [.succeeded])
        let run = Task { try await scheduler.run() }
        _ = await events(in: stream, count: narrow + wide, within: 300) { _ in true }
        run.cancel()
        try await run.value

        #expect(gauge.most <= 2)
        var intervals: [(start: Double, end: Double)] = []
        var after: JobID?
        while true {
            let page = try await scheduler.jobs(in: .completed, after: after, limit: 1_000)
            for job in page where job.queue == "narrow" {
                let attempt = try #require(job.attempts.last)
                let end = try #require(attempt.endedAt)
                intervals.append((attempt.startedAt.timeIntervalSince1970, end.timeIntervalSince1970))
            }
            guard let last = page.last else { break }
            after = last.id
        }
        #expect(intervals.count == narrow)
        #expect(Self.maxOverlap(intervals) <= 2)
        await scheduler.close()
    }

    /// Three queues, all saturated, and one slot: each gets its share of the starts, although one
    /// queue's jobs all come before the others' in priority order; within each queue, priorities
    /// order the starts.
    @Test func saturatedQueuesShareStartsAndKeepPriorityWithin() async throws {
        let harness = try SchedulerTestHarness { configuration in
            configuration.maxConcurrentJobs = 1
            configuration.queues = ["a", "b", "c"].map { JobQueue($0, maxConcurrentJobs: 10) }
        }
        let starts = StartOrder()
        try harness.scheduler.register("work") { context in
            starts.append(context.queue, Int(context.payload.first ?? 0))
        }
        var generator = SplitMixTestGenerator(seed: 13)
        var requests: [JobRequest] = []
        // Queue a holds priorities 0-3, b 3-6 and c 6-9: priority order alone would run a first.
        for (queue, band) in [("a", 0...3), ("b", 3...6), ("c", 6...9)] {
            for _ in 0..<60 {
                let priority = Int.random(in: band, using: &generator)
                requests.append(
                    JobRequest(name: "work", payload: [UInt8(priority)], options: JobOptions(priority: priority, queue: queue)))
            }
        }
        requests.shuffle(using: &generator)
        _ = try await harness.scheduler.schedule(requests)
        harness.start()
        for _ in 0..<180 { _ = await harness.next(.succeeded) }
        try await harness.stop()

        let order = starts.order
        #expect(order.count == 180)
        // While all three have work (the first 90 starts, 30 of each queue's 60 jobs at least).
        let saturated = order.prefix(90)
        for queue in ["a", "b", "c"] {
            let share = saturated.filter { $0.queue == queue }.count
            #expect(share >= 27, "queue \(queue) got \(share) of the first 90 starts")
            let priorities = order.filter { $0.queue == queue }.map(\.priority)
            #expect(priorities == priorities.sorted(), "queue \(queue) started in priority order")
        }
    }

    @Test func badDeclarationsAreRefusedWithTheField() throws {
        let cases: [(JobQueue, DocketError.InvalidInput.Field)] = [
            (JobQueue("q", maxConcurrentJobs: 0), .queueLimit),
            (JobQueue("q", maxConcurrentJobs: -3), .queueLimit),
            (JobQueue("q", maxConcurrentJobs: 1, rateLimit: .init(starts: 0, per: .seconds(1))), .queueLimit),
            (JobQueue("q", maxConcurrentJobs: 1, rateLimit: .init(starts: 5, per: .zero)), .queueLimit),
            (JobQueue("q", maxConcurrentJobs: 1, rateLimit: .init(starts: 5, per: .seconds(90_000))), .queueLimit),
            (JobQueue("", maxConcurrentJobs: 1), .queue),
        ]
        for (queue, field) in cases {
            var configuration = SchedulerConfiguration()
            configuration.queues = [queue]
            #expect {
                _ = try JobScheduler.inMemory(configuration: configuration)
            } throws: { error in
                guard case DocketError.invalidInput(let input) = error else { return false }
                return input.field == field
            }
        }
        var twice = SchedulerConfiguration()
        twice.queues = [JobQueue("q", maxConcurrentJobs: 1), JobQueue("q", maxConcurrentJobs: 2)]
        #expect(throws: DocketError.self) { _ = try JobScheduler.inMemory(configuration: twice) }
    }

    @Test func pausingAnUnknownQueueIsRefused() async throws {
        let scheduler = try JobScheduler.inMemory()
        do {
            try await scheduler.pauseQueue("nowhere")
            Issue.record("a queue nobody declared must be refused")
        } catch .queueNotFound(let name) {
            #expect(name == "nowhere")
        }
        await scheduler.close()
    }

    /// A rate-limited result gives the attempt back: a job allowed one attempt runs again.
    @Test func aRateLimitedAttemptIsNotSpent() async throws {
        let harness = try SchedulerTestHarness()
        let calls = Gauge()
        try harness.scheduler.register("call") { _ in
            calls.enter()
            if calls.most == 1 && calls.entered == 1 { throw JobControl.rateLimited(retryAfter: .seconds(30)) }
        }
        let scheduled = try await harness.scheduler.schedule([JobRequest(name: "call", options: JobOptions(maxAttempts: 1))])
        let id = try #require(scheduled.first).id
        harness.start()
        _ = await harness.next(.snoozed, of: id)
        harness.clock.advance(by: .seconds(30))
        _ = await harness.next(.succeeded, of: id)
        try await harness.stop()
        let job = try #require(try await harness.scheduler.job(id))
        #expect(job.state == .completed && job.attempt == 1)
        #expect(job.attempts.first?.outcome == .snoozed)
        #expect(job.attempts.first?.error?.contains("rate limited") == true)
    }
}

/// A seeded generator for test data.
struct SplitMixTestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How many run at once, at most, and how many entered in all.
final class Gauge: Sendable {
    // A pthread lock the thread sanitizer sees, not `Mutex`, whose futex it cannot.
    private let state = Locked<(now: Int, most: Int, entered: Int)>((0, 0, 0))
    func enter() {
        state.withLock {
            $0.now += 1
            $0.entered += 1
            $0.most = max($0.most, $0.now)
        }
    }
    func leave() { state.withLock { $0.now -= 1 } }
    var most: Int { state.withLock { $0.most } }
    var entered: Int { state.withLock { $0.entered } }
}

/// The queue and priority of each start, in order.
final class StartOrder: Sendable {
    private let starts = Locked<[(queue: String, priority: Int)]>([])
    func append(_ queue: String, _ priority: Int) { starts.withLock { $0.append((queue, priority)) } }
    var order: [(queue: String, priority: Int)] { starts.withLock { $0 } }
}
