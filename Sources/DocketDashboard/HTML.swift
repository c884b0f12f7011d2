/// A fragment of HTML. Text interpolated into one is escaped; only another `HTML` goes in as it
/// is, so that nothing a job, a schedule or a request carries can become markup or script.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) {
        text = value
    }

    init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
    }

    /// Markup written by this module, taken as it is.
    init(trusted text: String) {
        self.text = text
    }

    var description: String { text }

    static let empty = HTML(trusted: "")

    struct Interpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        mutating func appendInterpolation(_ html: HTML) {
            text += html.text
        }

        mutating func appendInterpolation(_ fragments: [HTML]) {
            for fragment in fragments { text += fragment.text }
        }

        /// Escaped text, fit for element content and for quoted attribute values.
        mutating func appendInterpolation(_ value: some StringProtocol) {
            HTML.escape(value, into: &text)
        }

        mutating func appendInterpolation(_ value: Int) {
            text += String(value)
        }

        mutating func appendInterpolation(_ value: Int64) {
            text += String(value)
        }
    }

    /// `value` with `&`, `<`, `>`, `"` and `'` written as character references.
    static func escape(_ value: some StringProtocol) -> String {
        var text = ""
        escape(value, into: &text)
        return text
    }

    static func escape(_ value: some StringProtocol, into text: inout String) {
        for character in value.unicodeScalars {
            switch character {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "'": text += "&#39;"
            default: text.unicodeScalars.append(character)
            }
        }
    }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.text + rhs.text) }

    static func += (lhs: inout HTML, rhs: HTML) { lhs.text += rhs.text }
}

extension Array where Element == HTML {
    func joined() -> HTML { HTML(trusted: map(\.text).joined()) }
}
