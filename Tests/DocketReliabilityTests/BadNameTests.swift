import Docket
import DocketTesting
import Testing

/// Job names and handler registration. CommandTests covers an empty name at scheduling and a second
/// registration throwing some `DocketError`; these pin the messages and the cases around them.
@Suite(.timeLimit(.minutes(1)))
struct BadNameTests {
    /// The reason of the `invalidInput` error for the name field that `body` throws, or nil for any
    /// other outcome.
    private func nameRefusal(_ body: () async throws -> Void) async -> String? {
        guard let input = await docketError(body)?.invalidInput, input.field == .name else { return nil }
        return input.reason
    }

    /// Empty names and names over 255 UTF-8 bytes get `invalidInput` for the name saying so, from `schedule` and `register`; 255 bytes are fine.
    @Test func emptyAndOverLongNamesAreRefusedWithTheirLength() async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        #expect(await nameRefusal { try await scheduler.schedule(name: "") }?.contains("the job name is empty") == true)
        #expect(await nameRefusal { try scheduler.register("") { _ in } }?.contains("the job name is empty") == true)
        let long = String(repeating: "n", count: 256)
        #expect(await nameRefusal { try await scheduler.schedule(name: long) } == "the job name is 256 bytes long; the limit is 255")
        // 128 characters, 256 bytes: the limit counts bytes.
        let wide = String(repeating: "é", count: 128)
        #expect(await nameRefusal { try scheduler.register(wide) { _ in } } == "the job name is 256 bytes long; the limit is 255")
        let longest = String(repeating: "n", count: 255)
        let id = try await scheduler.schedule(name: longest).id
        #expect(try await scheduler.job(id)?.name == longest)
        #expect(try await scheduler.counts() == JobCounts(scheduled: 1))
    }

    /// Names with control characters (NUL, newline, tab, DEL, ESC) get `invalidInput` for the name quoting the name escaped; nothing is scheduled.
    @Test(arguments: ["nul\u{0}byte", "line\nbreak", "tab\there", "delete\u{7F}", "\u{1B}[31mred"])
    func namesWithControlCharactersAreRefused(name: String) async throws {
        let harness = try SchedulerTestHarness()
        let scheduler = harness.scheduler
        let reason = await nameRefusal { try await scheduler.schedule(name: name) }
        #expect(reason == "the job name \(name.debugDescription) contains control characters")
        #expect(await nameRefusal { try scheduler.register(name) { _ in } }?.contains("control characters") == true)
        #expect(try await scheduler.counts().total == 0)
    }

    /// Non-UTF-8 bytes arrive only as U+FFFD (`String(decoding:as:)`): such names, and U+202E, are stored, read back and run as given.
    @Test func namesDecodedFromInvalidUTF8AreStoredAndRunAsTheyAre() async throws {
        let harness = try SchedulerTestHarness()
        let replaced = String(decoding: [0x66, 0xFF, 0xFE, 0x6F, 0xC3], as: UTF8.self)
        #expect(replaced == "f\u{FFFD}\u{FFFD}o\u{FFFD}")
        let mirrored = "report\u{202E}fdp.exe"
        let ran = Recorder<String>()
        for name in [replaced, mirrored] {
            try harness.scheduler.register(name) { context in ran.append(context.name) }
        }
        let ids = [
            try await harness.scheduler.schedule(name: replaced).id, try await harness.scheduler.schedule(name: mirrored).id,
        ]
        harness.start()
        for _ in ids { _ = await harness.next(.succeeded) }
        #expect(try await harness.scheduler.job(ids[0])?.name == replaced)
        #expect(try await harness.scheduler.job(ids[1])?.name == mirrored)
        #expect(Set(ran.all) == [replaced, mirrored])
        try await harness.stop()
    }

    /// A second handler for a name (typed or raw) gets `duplicateHandler(name:)`; the first handler keeps running the jobs.
    @Test func aSecondHandlerForANameIsRefusedAndTheFirstStays() async throws {
        let harness = try SchedulerTestHarness()
        let ran = Recorder<String>()
        try harness.scheduler.register(Note.self) { note, _ in ran.append("first: \(note.text)") }
        let typed = await docketError { try harness.scheduler.register(Note.self) { _, _ in ran.append("second") } }
        let raw = await docketError { try harness.scheduler.register(Note.jobName) { _ in ran.append("raw") } }
        for error in [typed, raw] {
            guard case .duplicateHandler(let name)? = error else {
                Issue.record("expected duplicateHandler, got \(String(describing: error))")
                continue
            }
            #expect(name == Note.jobName)
            #expect(error?.description == "a handler for 'note' is already registered: register each job name once")
        }
        let id = try await harness.scheduler.schedule(Note(text: "hello")).id
        harness.start()
        _ = await harness.next(.succeeded, of: id)
        #expect(ran.all == ["first: hello"])
        try await harness.stop()
    }
}
