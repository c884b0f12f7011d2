/// Why a recurrence rule or rule set was refused: the part at fault, quoted, and what to write
/// instead.
package struct RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given, untrimmed; empty for a rule set built from values.
    package var text: String
    /// The part at fault, as written, such as `BYHOUR=24` or `DTSTART:20260230T090000`; empty when
    /// the fault is the whole (a missing `FREQ`, a rule that never fires).
    package var part: String
    /// What was wrong, and what would be accepted instead.
    package var reason: String

    /// Describes a refused rule.
    ///
    /// - Complexity: O(1).
    package init(text: String, part: String, reason: String) {
        self.text = text
        self.part = part
        self.reason = reason
    }

    /// `invalid recurrence rule: "BYHOUR=24": hours run from 0 to 23, …`, ready for a log line or an
    /// HTTP 400 body.
    package var description: String {
        part.isEmpty ? "invalid recurrence rule: \(reason)" : "invalid recurrence rule: \"\(part)\": \(reason)"
    }

    /// A failure inside the parsers, before the text is attached.
    struct Failure: Error {
        var part: String
        var reason: String

        init(_ part: some StringProtocol, _ reason: String) {
            self.part = String(part)
            self.reason = reason
        }
    }

    /// Attaches the text to a failure.
    init(text: String, failure: Failure) {
        self.init(text: text, part: failure.part, reason: failure.reason)
    }
}
