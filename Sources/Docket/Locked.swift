import Foundation

/// A value behind a lock: the state shared by the scheduler's tasks and threads.
///
/// Built on `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: on Linux, `Mutex` parks
/// contended threads with raw futex calls inside the uninstrumented standard library, which the thread
/// sanitizer cannot see, so every contended lock showed up as a false data race and hid real ones.
/// pthread mutexes are intercepted by the sanitizer.
///
/// `@unchecked Sendable`: `value` is read and written only inside `withLock`, while `lock` is held.
package final class Locked<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: State

    /// Wraps `value`.
    package init(_ value: State) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
