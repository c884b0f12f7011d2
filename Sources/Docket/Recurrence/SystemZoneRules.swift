import DocketCore
import Foundation

/// A real time zone's rules, read from the system's zone database through `Foundation.TimeZone`.
///
/// Offsets come from `secondsFromGMT(for:)`. Transitions come from
/// `nextDaylightSavingTimeTransition(after:)`, which on Linux and Darwin reads the same tzdata and
/// gives exact instants; it is checked against the offsets, though, because it reports only
/// daylight-saving changes. A change of a zone's standard offset (Europe/Volgograd in 2020) or a
/// change of only the daylight-saving flag would otherwise be missed or reported wrongly:
///
/// - a reported instant at which the offset does not actually change is skipped;
/// - when the offset just before the reported instant (or one year on, when none is reported)
///   differs from the offset at the start, a transition was missed, and it is found by bisection on
///   `secondsFromGMT(for:)` to the second. A change that is undone within that span without a
///   daylight-saving report is not seen; no zone in tzdata has one since 1970.
package struct SystemZoneRules: ZoneRules {
    /// The zone's tzdata name, such as `Europe/London`.
    package let identifier: String
    /// The Foundation zone all answers come from.
    private let zone: TimeZone

    /// Where zone data is looked for when the system cannot find a zone: `TZDIR` or the usual path.
    static var zoneDataDirectory: String {
        ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
    }

    /// The rules of the zone named `identifier` (a tzdata name such as `America/New_York`, or `UTC`).
    ///
    /// - Throws: ``ZoneLookupError`` when the system does not know the name, saying so distinctly
    ///   when the system has no zone data at all (a container image without `tzdata`).
    /// - Complexity: one lookup in the system's zone database.
    package init(identifier: String) throws(ZoneLookupError) {
        guard let zone = TimeZone(identifier: identifier) else {
            var isDirectory: ObjCBool = false
            let directory = Self.zoneDataDirectory
            let hasData = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue
            throw ZoneLookupError(identifier: identifier, reason: hasData ? .unknownIdentifier : .noZoneData(directory: directory))
        }
        self.identifier = identifier
        self.zone = zone
    }

    /// The offset in seconds east of UTC at `seconds`.
    ///
    /// - Complexity: one `secondsFromGMT(for:)` call.
    package func offset(atUTC seconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The first instant after `seconds` at which the offset changes, checked as described above.
    ///
    /// - Complexity: a few `Foundation` calls; O(log *n*) more, with *n* the span in seconds, when a
    ///   transition is found by bisection.
    package func nextTransition(afterUTC seconds: Int64) -> Int64? {
        var start = seconds
        let startOffset = offset(atUTC: seconds)
        // Reported instants that change nothing are skipped; a handful is plenty.
        for _ in 0..<8 {
            let reported = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(start)))
                .map { Int64($0.timeIntervalSince1970.rounded(.up)) }
            let end = reported.map { max($0, start + 1) } ?? (start + Self.horizon)
            if offset(atUTC: end - 1) != startOffset {
                return bisect(after: start, before: end - 1, from: startOffset)
            }
            guard let reported else { return nil }
            if offset(atUTC: end) != startOffset { return end }
            start = max(reported, start + 1)
        }
        return nil
    }

    /// How far ahead a change of standard offset is looked for when Foundation reports no
    /// daylight-saving transition: one year and a day.
    static let horizon: Int64 = 366 * 86_400

    /// The first instant in `(low, high]` whose offset differs from `offset`, given that the offset
    /// at `low` is `offset` and at `high` is not.
    private func bisect(after low: Int64, before high: Int64, from offset: Int) -> Int64 {
        var low = low
        var high = high
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if self.offset(atUTC: middle) == offset { low = middle } else { high = middle }
        }
        return high
    }
}

/// Why a zone name was refused.
package struct ZoneLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Sendable, Hashable {
        /// The system has zone data but no zone of that name.
        case unknownIdentifier
        /// The system has no zone data at all, at `directory`.
        case noZoneData(directory: String)
    }

    /// The name as given.
    package var identifier: String
    /// What went wrong.
    package var reason: Reason

    /// Describes a refused zone name.
    package init(identifier: String, reason: Reason) {
        self.identifier = identifier
        self.reason = reason
    }

    /// What was wrong and what to do, ready for a log line.
    package var description: String {
        switch reason {
        case .unknownIdentifier:
            return "unknown time zone \"\(identifier)\": use a tzdata name such as America/New_York, Europe/London or UTC"
        case .noZoneData(let directory):
            return "unknown time zone \"\(identifier)\": this system has no time zone data (\(directory) is missing); install tzdata (apt-get install tzdata, apk add tzdata) or set TZDIR"
        }
    }
}
