import DocketCore
import Foundation

/// The system's wall clock.
public struct SystemWallClock: WallClock, MicrosecondWallClock {
    /// The system clock.
    public init() {}

    /// The current time, read from the operating system's real-time clock.
    public func now() -> Date {
        Date()
    }

    /// The current time, to the microsecond (rounded down).
    package func nowTimestamp() -> Timestamp {
        Timestamp(Date())
    }
}

extension Timestamp {
    /// The instant `date` stands for, to the microsecond (rounded down), saturating far outside the
    /// range of `Int64` microseconds.
    package init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        if micros.isNaN {
            self = .epoch
        } else if micros >= Double(Int64.max) {
            self = .distantFuture
        } else if micros <= Double(Int64.min) {
            self = .distantPast
        } else {
            self.init(microsecondsSinceEpoch: Int64(micros))
        }
    }

    /// The instant as a `Date`.
    package var date: Date {
        Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000)
    }
}
