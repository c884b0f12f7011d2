/// Percent-encoding for the paths and queries the pages link to, and decoding for the forms and
/// queries they receive.
enum URLText {
    /// `value` as one query value or path segment: everything but unreserved characters encoded.
    static func encode(_ value: String) -> String {
        var text = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                text += "%"
                text.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                text.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 15)]))
            }
        }
        return text
    }

    /// `pairs` as a query string (`a=1&b=2`), leaving out pairs with empty values.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// A form body or query string as its pairs, in order; nil when a pair is not valid
    /// percent-encoding or UTF-8.
    static func pairs(_ text: some StringProtocol) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(halves[0]), let value = halves.count == 2 ? decode(halves[1]) : "" else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    /// `+` as a space and `%XX` as its byte; nil for a bad escape or bytes that are not UTF-8.
    static func decode(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The values of a form or a query, by name: each name may repeat.
struct FormValues: Sendable {
    private var pairs: [(String, String)]

    init(_ pairs: [(String, String)]) {
        self.pairs = pairs
    }

    /// The first value of `name`, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = pairs.first(where: { $0.0 == name })?.1 else { return nil }
        let trimmed = value.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The first value of `name` as given, untrimmed; nil when absent.
    func raw(_ name: String) -> String? { pairs.first(where: { $0.0 == name })?.1 }

    /// Every non-blank value of `name`, each comma list split.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.0 == name }.flatMap { $0.1.split(separator: ",") }.map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
