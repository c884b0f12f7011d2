import Testing

@testable import Docket

/// The journal's text of trace headers reads back exactly, W3C values included.
struct TraceHeadersTests {
    @Test func headersRoundTripThroughTheJournalsText() {
        let headers = [
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "tracestate": "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        ]
        let text = TraceHeaders.text(headers)
        #expect(text == "traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\ntracestate=rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        #expect(TraceHeaders.headers(text) == headers)
    }

    @Test func nothingToKeepIsNilAndPairsThatCannotReadBackAreLeftOut() {
        #expect(TraceHeaders.text([:]) == nil)
        #expect(TraceHeaders.headers(nil) == [:])
        #expect(TraceHeaders.text(["a=b": "1", "": "2", "c": "line\nbreak"]) == nil)
        #expect(TraceHeaders.text(["a=b": "1", "ok": "yes"]) == "ok=yes")
    }
}
