import DocketText
import Foundation

extension Console {
    /// Writes `rows` under `headers` as columns padded to their widest cell, two spaces apart.
    package func table(_ headers: [String], _ rows: [[String]]) {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func render(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        line(render(headers))
        rows.forEach { line(render($0)) }
    }

    /// Writes `pairs` as `key: value` lines, keys aligned.
    package func fields(_ pairs: [(String, String)]) {
        let width = pairs.map(\.0.count).max() ?? 0
        for (key, value) in pairs {
            line((key + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + value)
        }
    }

    /// Writes `value` as JSON on one line (keys sorted, dates as ISO 8601 in UTC): for output that
    /// streams one document per line.
    package func jsonLine<Value: Encodable>(_ value: Value) throws {
        line(String(decoding: try Self.encoder(pretty: false).encode(value), as: UTF8.self))
    }

    /// Writes `value` as JSON: keys sorted, dates as ISO 8601 in UTC, one document per call.
    package func json<Value: Encodable>(_ value: Value) throws {
        line(String(decoding: try Self.encoder(pretty: true).encode(value), as: UTF8.self))
    }

    private static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        return encoder
    }
}
