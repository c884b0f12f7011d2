extension String {
    /// The string as a JSON string literal, quotes included.
    ///
    /// Escapes what RFC 8259 requires (quote, backslash, control characters); everything else is UTF-8
    /// as is, which JSON allows. The workload runner writes its JSON lines with it too.
    package var jsonLiteral: String {
        var json = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case "\u{08}": json += "\\b"
            case "\u{0C}": json += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                json.unicodeScalars.append(scalar)
            }
        }
        return json + "\""
    }
}

extension Array where Element == String {
    /// The strings as a JSON array, for binding to `json_each(?)`: one parameter, any number of values.
    var jsonArrayText: String {
        "[" + map(\.jsonLiteral).joined(separator: ",") + "]"
    }
}
