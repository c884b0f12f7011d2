import DocketCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marks, in a file beside the journal, which claimed attempts have started their handler, so that
/// crash recovery gives back the attempt of a job that was claimed but never started.
///
/// A claim counts the attempt in the journal before the handler starts (that is what stops a handler
/// that kills its process from running forever), so a crash between the claim and the start would
/// otherwise spend an attempt nothing made, and discard a job on its last attempt that never ran.
/// Writing each start to the journal would cost a commit per start. This log costs a store to memory:
/// the file is mapped shared, so what is written is in the kernel's page cache as soon as it is
/// written, and survives the process being killed; it is never synced, so a power loss or a kernel
/// crash may lose it. The header names the boot the log was written in, and a log from another boot
/// is not trusted: after a reboot every claimed attempt counts as started.
///
/// The file is a table of slots, one per started attempt whose outcome is not yet in the journal: a
/// start fills a free slot, and the commit of the attempt's outcome clears it, so the file stays the
/// size of the attempts in flight.
///
/// `@unchecked Sendable`: the mapping and the slot bookkeeping are touched only inside `state`'s lock;
/// `previous` is immutable.
final class StartLog: @unchecked Sendable {
    /// The starts a previous run left in the log.
    struct Marks: Sendable {
        /// The instance that wrote them.
        let owner: String
        let keys: Set<Key>

        /// Whether `job`, found running, may have started its handler. Only jobs of the log's owner
        /// can be told apart; any other job may have.
        func mayHaveStarted(_ job: JobRecord) -> Bool {
            guard job.leaseOwner == owner else { return true }
            return keys.contains(Key(job))
        }
    }

    /// One claimed attempt: the job and the time of its claim, which the journal keeps in the job's
    /// `updatedAt` while it runs; a job claimed again after a snooze has a new claim time.
    struct Key: Hashable, Sendable {
        let id: Int64
        let claimedAt: Int64

        init(_ job: JobRecord) {
            id = job.id.rawValue
            claimedAt = job.updatedAt.microsecondsSinceEpoch
        }

        init(id: Int64, claimedAt: Int64) {
            self.id = id
            self.claimedAt = claimedAt
        }
    }

    private struct State {
        var descriptor: Int32
        var mapping: UnsafeMutableRawPointer?
        var mappedBytes = 0
        /// Slots the mapping holds.
        var capacity = 0
        /// The slot of each started attempt.
        var slots: [JobID: Int] = [:]
        var freeSlots: [Int] = []
        /// Slots below this have been used.
        var used = 0
    }

    static let magic: [UInt8] = Array("DKTSTRT1".utf8)
    static let headerBytes = 256
    static let slotBytes = 16
    static let ownerRange = 16..<88
    static let bootRange = 88..<160
    static let initialSlots = 1024

    /// The starts the previous run left, when they can be trusted (same boot, readable header).
    let previous: Marks?
    private let path: String
    private let state: Locked<State>

    /// Opens the log at `path` (creating it, mode 0600) and reads what a previous run left in it.
    init(path: String) throws(DocketError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .storage(.init(kind: .cannotOpen, message: "cannot open the start log \(path): \(reason)", path: path))
        }
        self.path = path
        self.previous = Self.read(descriptor: descriptor, boot: Self.bootID())
        self.state = Locked(State(descriptor: descriptor))
    }

    /// Empties the log and names `owner` as its writer, for this boot. Call after crash recovery has
    /// settled the previous run's jobs.
    func begin(owner: String) throws(DocketError) {
        let failure = state.withLock { state -> Int32? in
            unmap(&state)
            state.capacity = 0
            let capacity = Self.initialSlots
            guard ftruncate(state.descriptor, 0) == 0 else { return errno }
            if let error = map(&state, capacity: capacity) { return error }
            let header = state.mapping!
            header.copyMemory(from: Self.magic, byteCount: Self.magic.count)
            Self.write(owner, into: header, range: Self.ownerRange)
            Self.write(Self.bootID() ?? "", into: header, range: Self.bootRange)
            state.slots = [:]
            state.freeSlots = []
            state.used = 0
            return nil
        }
        if let failure {
            let reason = String(cString: strerror(failure))
            throw .storage(.init(
                kind: failure == ENOSPC ? .diskFull : .ioError, message: "cannot prepare the start log \(path): \(reason)",
                path: path))
        }
    }

    /// Marks `job`'s attempt as started. Call before its handler starts.
    func started(_ job: JobRecord) {
        state.withLock { state in
            guard state.mapping != nil else { return }
            let slot: Int
            if let held = state.slots[job.id] {
                // The job's previous attempt, whose outcome is not settled yet: this one replaces it.
                slot = held
            } else if let free = state.freeSlots.popLast() {
                slot = free
            } else {
                if state.used == state.capacity, map(&state, capacity: state.capacity * 2) != nil { return }
                slot = state.used
                state.used += 1
            }
            state.slots[job.id] = slot
            let offset = Self.headerBytes + slot * Self.slotBytes
            // The claim time first: a slot whose id is written is whole.
            state.mapping!.storeBytes(of: job.updatedAt.microsecondsSinceEpoch, toByteOffset: offset + 8, as: Int64.self)
            state.mapping!.storeBytes(of: job.id.rawValue, toByteOffset: offset, as: Int64.self)
        }
    }

    /// Clears the marks of the attempts (each job as it was claimed) whose outcome is now in the
    /// journal. A job's next attempt may have started before its previous one's outcome was settled
    /// (claimed in the very commit that journaled it): its mark, of a later claim, stays.
    func settled(_ jobs: some Sequence<JobRecord>) {
        state.withLock { state in
            guard let mapping = state.mapping else { return }
            for job in jobs {
                guard let slot = state.slots[job.id] else { continue }
                let offset = Self.headerBytes + slot * Self.slotBytes
                guard mapping.load(fromByteOffset: offset + 8, as: Int64.self) == job.updatedAt.microsecondsSinceEpoch
                else { continue }
                state.slots.removeValue(forKey: job.id)
                mapping.storeBytes(of: Int64(0), toByteOffset: offset, as: Int64.self)
                state.freeSlots.append(slot)
            }
        }
    }

    /// Unmaps and closes the file; later marks are dropped.
    func close() {
        state.withLock { state in
            unmap(&state)
            if state.descriptor >= 0 { closeDescriptor(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// Maps `capacity` slots, growing the file to hold them; returns the error number when it cannot.
    /// Call holding the lock.
    ///
    /// The file grows by allocating its blocks, never by `ftruncate` alone: a store to a page of a
    /// sparse file the file system has no room for kills the process with SIGBUS, where an
    /// allocation on a full disk fails with ENOSPC and the log stays as it was.
    private func map(_ state: inout State, capacity: Int) -> Int32? {
        let bytes = Self.headerBytes + capacity * Self.slotBytes
        if capacity > state.capacity, let error = Self.allocate(state.descriptor, bytes: bytes) { return error }
        unmap(&state)
        let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, state.descriptor, 0)
        guard let address, address != MAP_FAILED else { return errno }
        state.mapping = address
        state.mappedBytes = bytes
        state.capacity = capacity
        return nil
    }

    /// Allocates the first `bytes` of the file; the error number when the file system refuses.
    private static func allocate(_ descriptor: Int32, bytes: Int) -> Int32? {
        #if canImport(Glibc)
        let error = posix_fallocate(descriptor, 0, off_t(bytes))
        return error == 0 ? nil : error
        #else
        return ftruncate(descriptor, off_t(bytes)) == 0 ? nil : errno
        #endif
    }

    private func unmap(_ state: inout State) {
        if let mapping = state.mapping { _ = munmap(mapping, state.mappedBytes) }
        state.mapping = nil
        state.mappedBytes = 0
    }

    private static func write(_ text: String, into header: UnsafeMutableRawPointer, range: Range<Int>) {
        let bytes = Array(text.utf8.prefix(range.count - 1))
        (header + range.lowerBound).initializeMemory(as: UInt8.self, repeating: 0, count: range.count)
        (header + range.lowerBound).copyMemory(from: bytes, byteCount: bytes.count)
    }

    /// The marks a start log at `path` holds (another scheduler's, found dead), or nil when there is
    /// none to trust.
    static func marks(atPath path: String) -> Marks? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { closeDescriptor(descriptor) }
        return read(descriptor: descriptor, boot: bootID())
    }

    /// The marks in the file, or nil when it is empty, not a start log, or from another boot.
    private static func read(descriptor: Int32, boot: String?) -> Marks? {
        guard let boot else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= headerBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count == bytes.count, Array(bytes[0..<magic.count]) == magic else { return nil }
        guard text(bytes[bootRange]) == boot else { return nil }
        var keys = Set<Key>()
        bytes.withUnsafeBytes { raw in
            var offset = headerBytes
            while offset + slotBytes <= raw.count {
                let id = raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)
                if id != 0 {
                    keys.insert(Key(id: id, claimedAt: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self)))
                }
                offset += slotBytes
            }
        }
        return Marks(owner: text(bytes[ownerRange]), keys: keys)
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// This boot's identity, or nil where the system does not tell.
    static func bootID() -> String? {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else {
            return nil
        }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
        #elseif canImport(Darwin)
        var size = 0
        guard sysctlbyname("kern.bootsessionuuid", nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard sysctlbyname("kern.bootsessionuuid", &buffer, &size, nil, 0) == 0 else { return nil }
        return String(cString: buffer)
        #else
        return nil
        #endif
    }
}

/// `close(2)`, which `StartLog.close()` hides inside the class.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
