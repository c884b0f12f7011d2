#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The mutex and the condition variable of one ``Locked`` value, stored as its buffer's element.
struct LockPrimitives {
    var mutex = pthread_mutex_t()
    var condition = pthread_cond_t()

    /// The fields' offsets, found once: asking a key path for its offset on every lock costs more
    /// than the lock.
    static let mutexOffset = MemoryLayout<LockPrimitives>.offset(of: \LockPrimitives.mutex)!
    static let conditionOffset = MemoryLayout<LockPrimitives>.offset(of: \LockPrimitives.condition)!
}

/// One allocation holding a value (the header) and the primitives that guard it (the one element).
///
/// pthread primitives must not move once initialized, so they live in the buffer's element storage,
/// whose address is fixed for the object's lifetime; the value shares the allocation, so a lock costs
/// one allocation instead of two. The header is read and written only while the mutex is held.
final class LockStorage<Value>: ManagedBuffer<Value, LockPrimitives> {
    static func make(_ value: Value) -> LockStorage<Value> {
        let buffer = create(minimumCapacity: 1) { _ in value }
        let storage = unsafeDowncast(buffer, to: LockStorage<Value>.self)
        storage.withUnsafeMutablePointerToElements { primitives in
            primitives.initialize(to: LockPrimitives())
            let mutexResult = pthread_mutex_init(mutex(primitives), nil)
            precondition(mutexResult == 0, "pthread_mutex_init failed with \(mutexResult)")
            let conditionResult = pthread_cond_init(condition(primitives), nil)
            precondition(conditionResult == 0, "pthread_cond_init failed with \(conditionResult)")
        }
        return storage
    }

    deinit {
        withUnsafeMutablePointerToElements { primitives in
            pthread_cond_destroy(Self.condition(primitives))
            pthread_mutex_destroy(Self.mutex(primitives))
            primitives.deinitialize(count: 1)
        }
    }

    /// Runs `body` on the value while holding the mutex.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try withUnsafeMutablePointers { value, primitives in
            let mutex = Self.mutex(primitives)
            Self.lock(mutex)
            defer { Self.unlock(mutex) }
            return try body(&value.pointee)
        }
    }

    /// Waits on the condition variable (which releases the mutex while it sleeps) until `ready` accepts
    /// the value, then runs `body` on it, all while holding the mutex.
    func withLock<Result>(
        waitingUntil ready: (Value) -> Bool, _ body: (inout Value) throws -> Result
    ) rethrows -> Result {
        try withUnsafeMutablePointers { value, primitives in
            let mutex = Self.mutex(primitives)
            Self.lock(mutex)
            defer { Self.unlock(mutex) }
            // A loop, not a single wait: condition variables may wake spuriously, and another thread
            // may have changed the value again between the broadcast and this wake-up.
            while !ready(value.pointee) {
                let result = pthread_cond_wait(Self.condition(primitives), mutex)
                precondition(result == 0, "pthread_cond_wait failed with \(result)")
            }
            return try body(&value.pointee)
        }
    }

    /// Wakes every thread waiting in `withLock(waitingUntil:_:)`.
    func broadcast() {
        withUnsafeMutablePointerToElements { primitives in
            let result = pthread_cond_broadcast(Self.condition(primitives))
            precondition(result == 0, "pthread_cond_broadcast failed with \(result)")
        }
    }

    private static func lock(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) {
        let result = pthread_mutex_lock(mutex)
        precondition(result == 0, "pthread_mutex_lock failed with \(result)")
    }

    private static func unlock(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) {
        let result = pthread_mutex_unlock(mutex)
        precondition(result == 0, "pthread_mutex_unlock failed with \(result)")
    }

    // Pointers to the fields computed from their offsets, so that they are the fields' real addresses
    // and not those of temporaries, which `&primitives.pointee.mutex` does not promise.
    @inline(__always)
    private static func mutex(
        _ primitives: UnsafeMutablePointer<LockPrimitives>
    ) -> UnsafeMutablePointer<pthread_mutex_t> {
        (UnsafeMutableRawPointer(primitives) + LockPrimitives.mutexOffset).assumingMemoryBound(to: pthread_mutex_t.self)
    }

    @inline(__always)
    private static func condition(
        _ primitives: UnsafeMutablePointer<LockPrimitives>
    ) -> UnsafeMutablePointer<pthread_cond_t> {
        (UnsafeMutableRawPointer(primitives) + LockPrimitives.conditionOffset).assumingMemoryBound(to: pthread_cond_t.self)
    }
}
