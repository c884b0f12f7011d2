/// A value behind a lock: state shared by tasks and threads of this package.
///
/// The value and a pthread mutex share one allocation, in the manner of swift-nio's
/// `NIOLockedValueBox`. A pthread mutex rather than `Synchronization.Mutex`: on Linux, `Mutex` parks
/// contended threads with raw futex calls inside the uninstrumented standard library, which the thread
/// sanitizer cannot see, so every contended `Mutex` shows up as a false data race and hides real ones;
/// pthread mutexes are intercepted by the sanitizer.
///
/// Copies share the same value and lock, as a class would. A thread that must sleep until the value
/// changes (a dedicated thread, never a task of the cooperative pool) uses
/// ``withLock(waitingUntil:_:)``, and whoever changes the value calls ``wakeWaiters()``.
///
/// `@unchecked Sendable`, whatever `Value` is: the value is read and written only inside `withLock`,
/// while the pthread mutex stored next to it is held (`ManagedBuffer`, which holds both, is not
/// `Sendable` itself). A caller that returns a non-`Sendable` part of the value from `withLock` takes
/// that part out of the lock's protection.
package struct Locked<Value>: @unchecked Sendable {
    private let storage: LockStorage<Value>

    /// Wraps `value`.
    package init(_ value: Value) {
        storage = LockStorage.make(value)
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try storage.withLock(body)
    }

    /// Blocks the calling thread until `ready` accepts the value, then runs `body` with exclusive access
    /// to it, without releasing the lock in between.
    ///
    /// `ready` is checked under the lock, first at once and then each time ``wakeWaiters()`` is called.
    /// Blocks a thread: call it only from a thread of its own, never from a task.
    package func withLock<Result>(
        waitingUntil ready: (Value) -> Bool, _ body: (inout Value) throws -> Result
    ) rethrows -> Result {
        try storage.withLock(waitingUntil: ready, body)
    }

    /// Wakes the threads waiting in ``withLock(waitingUntil:_:)`` so that they check the value again.
    ///
    /// Call it after changing the value, inside or after `withLock`: a waiter either checks the value
    /// after the change, or is already asleep and is woken.
    package func wakeWaiters() {
        storage.broadcast()
    }
}
