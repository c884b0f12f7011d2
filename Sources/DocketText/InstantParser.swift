import Foundation

/// Reads the instants and wall times the tool's options and the dashboard's forms take.
package enum InstantParser {
    /// An ISO 8601 instant with `Z` or an offset, with or without fractional seconds; nil otherwise.
    package static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// A wall time without zone, `YYYY-MM-DDTHH:MM[:SS]` (or with a space for the `T`), as its fields.
    package static func wallTime(_ text: String) -> DateComponents? {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").map { Int($0) }
        let time = parts[1].split(separator: ":").map { Int($0) }
        guard date.count == 3, (2...3).contains(time.count), !date.contains(nil), !time.contains(nil) else { return nil }
        let components = DateComponents(
            year: date[0], month: date[1], day: date[2], hour: time[0], minute: time[1], second: time.count == 3 ? time[2] : 0)
        guard let month = components.month, (1...12).contains(month), let day = components.day, (1...31).contains(day),
            let hour = components.hour, (0...23).contains(hour), let minute = components.minute, (0...59).contains(minute),
            let second = components.second, (0...60).contains(second)
        else { return nil }
        return components
    }

    /// `text` as an instant: as given when it has `Z` or an offset, else as a wall time in `zone`
    /// (its first occurrence when a fall-back repeats it).
    package static func instant(_ text: String, wallTimeIn zone: TimeZone) -> Date? {
        if let date = instant(text) { return date }
        guard let components = wallTime(text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: components)
    }
}
