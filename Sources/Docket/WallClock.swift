import DocketCore
import Foundation

/// A source of wall-clock time.
///
/// Run-at times are wall-clock instants; the scheduler reads this clock to decide what is due and
/// waits on a monotonic clock. Tests inject a manual one (DocketTesting's `ManualClock`) to move time
/// by hand. The scheduler keeps instants to the microsecond: a reading is rounded down to one.
public protocol WallClock: Sendable {
    /// The current wall-clock instant.
    func now() -> Date
}

/// A wall clock the scheduler can read in the journal's microseconds directly, so that virtual time
/// in tests stays exact instead of passing through `Date`'s floating point.
package protocol MicrosecondWallClock: WallClock {
    /// The current wall-clock instant, in the journal's resolution.
    func nowTimestamp() -> Timestamp
}

extension WallClock {
    /// A reader of this clock in the journal's resolution, chosen once so that reading it costs no cast.
    var timestampReader: @Sendable () -> Timestamp {
        if let precise = self as? any MicrosecondWallClock {
            return { precise.nowTimestamp() }
        }
        return { Timestamp(self.now()) }
    }
}
