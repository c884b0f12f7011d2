import Foundation

/// Instants as the tool and the dashboard print them.
package enum ISO8601 {
    /// `2026-03-08T07:00:00Z`, or with milliseconds when the instant has any (`…07:00:00.250Z`).
    package static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if seconds - whole < 0.0005 {
            formatter.formatOptions = [.withInternetDateTime]
        } else {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        }
        return formatter.string(from: date)
    }

    /// An optional instant, or `-`.
    package static func format(_ date: Date?) -> String {
        date.map { format($0) } ?? "-"
    }
}
