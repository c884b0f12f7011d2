import DocketCore

/// The obviously correct timer the real ones are checked against: a sorted array.
struct SortedArrayTimer {
    private(set) var entries: [TimerEntry] = []

    var count: Int { entries.count }
    var min: TimerEntry? { entries.first }

    mutating func insert(_ entry: TimerEntry) -> TimerEntry? {
        let replaced = remove(entry.id)
        let index = entries.firstIndex { entry < $0 } ?? entries.endIndex
        entries.insert(entry, at: index)
        return replaced
    }

    mutating func remove(_ id: JobID) -> TimerEntry? {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        return entries.remove(at: index)
    }

    mutating func popMin() -> TimerEntry? {
        entries.isEmpty ? nil : entries.removeFirst()
    }

    mutating func popDue(through now: Timestamp, limit: Int) -> [TimerEntry] {
        guard limit > 0 else { return [] }
        let due = entries.prefix { $0.deadline <= now }.prefix(limit)
        entries.removeFirst(due.count)
        return Array(due)
    }

    func deadline(of id: JobID) -> Timestamp? {
        entries.first { $0.id == id }?.deadline
    }

    mutating func removeAll() {
        entries.removeAll()
    }
}

/// Random timer inputs spanning microseconds to years, with deliberate collisions.
struct TimerInputs {
    static let origin: Int64 = 1_700_000_000_000_000  // November 2023, in microseconds

    var generator: SplitMix64
    var idCount: Int64

    init(seed: UInt64, idCount: Int64 = 150) {
        generator = SplitMix64(seed: seed)
        self.idCount = idCount
    }

    mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        Int64.random(in: range, using: &generator)
    }

    mutating func chance(_ percent: Int64) -> Bool {
        int(0...99) < percent
    }

    mutating func id() -> JobID {
        JobID(int(0...idCount - 1))
    }

    /// Offsets of 10^0 … 10^15 µs, so deadlines a microsecond apart and decades apart both occur.
    mutating func offset() -> Int64 {
        let magnitude = int(0...15)
        var bound: Int64 = 1
        for _ in 0..<magnitude { bound *= 10 }
        return int(0...bound)
    }

    mutating func deadline() -> Timestamp {
        let roll = int(0...99)
        let micros: Int64 =
            switch roll {
            case 0..<20: Self.origin + [0, 1, 1_000, 1_000_000, 3_600_000_000][Int(int(0...4))]  // ties
            case 20..<90: Self.origin + offset()
            case 90..<95: -offset()  // before 1970
            case 95..<97: Int64.min + int(0...1_000)
            default: Int64.max - int(0...1_000)
            }
        return Timestamp(microsecondsSinceEpoch: micros)
    }

    mutating func entry() -> TimerEntry {
        TimerEntry(id: id(), deadline: deadline(), priority: Int(int(0...2)))
    }
}
