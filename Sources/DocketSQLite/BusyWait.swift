import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a connection waits for a lock another connection holds: tries again after 50 µs, then after
/// twice as long each time up to 1 ms, until the waits add up to the busy timeout.
///
/// SQLite's own `sqlite3_busy_timeout` sleeps 1, 2, 5, 10, 15, 20 and 25 ms, then 25, 50 and 100 ms
/// between tries. A scheduler's transaction holds the write lock for well under a millisecond, so a
/// writer of another process that found the lock taken slept on long after it was free: with several
/// processes on one journal, their writers spent much of the drain asleep while nobody wrote. The
/// shorter waits cost a wake-up each, only while the lock is taken.
enum BusyWait {
    static let firstWait: Int64 = 50
    static let longestWait: Int64 = 1_000
    /// The longest busy timeout a connection takes, about 24 days; longer ones are cut to it.
    static let longestTimeout = Int64(Int32.max) * 1_000

    /// Microseconds the handler sleeps at its call `index` (SQLite counts calls from 0 per lock).
    static func wait(atCall index: Int) -> Int64 {
        index >= 5 ? longestWait : min(longestWait, firstWait << index)
    }

    /// Microseconds slept in all before call `count`.
    static func waited(beforeCall count: Int) -> Int64 {
        let doubling = min(count, 5)
        let early = (0..<doubling).reduce(Int64(0)) { $0 + wait(atCall: $1) }
        return early + Int64(max(0, count - 5)) * longestWait
    }

    /// The busy handler: the context pointer's bit pattern is the timeout in microseconds (nil for
    /// none); `count` is how many times SQLite called it for this lock.
    static let handler: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32 = { context, count in
        let timeout = Int64(Int(bitPattern: context))
        let index = Int(count)
        guard waited(beforeCall: index) < timeout else { return 0 }
        let wait = min(BusyWait.wait(atCall: index), timeout - waited(beforeCall: index))
        usleep(useconds_t(wait))
        return 1
    }
}
