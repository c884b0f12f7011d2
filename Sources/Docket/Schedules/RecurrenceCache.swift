import DocketCore

/// Parsed rules by spec and anchor, bounded: a firing pass computes each schedule's firings from its
/// parsed rule, and parsing (with a zone lookup) costs far more than a next-firing step.
final class RecurrenceCache: Sendable {
    private struct Key: Hashable {
        var spec: RecurrenceSpec
        var anchor: Timestamp
    }

    /// The most rules kept; past it the cache starts over, so its memory does not grow with the
    /// number of schedules.
    static let capacity = 1_024

    // Guards the parsed rules; firing passes run on the journal's writer thread, previews anywhere.
    private let entries = Locked<[Key: CompiledRecurrence]>([:])

    /// The parsed rule of `spec` anchored at `anchor`.
    ///
    /// - Throws: as ``CompiledRecurrence/init(spec:anchor:)``.
    func compiled(_ spec: RecurrenceSpec, anchor: Timestamp) throws(DocketError) -> CompiledRecurrence {
        // Only `@every` and an RRULE without DTSTART read the anchor: other rules share one entry,
        // so that many schedules of one rule cost one parse.
        let readsAnchor = spec.kind == .rrule || spec.text.lowercased().hasPrefix("@every")
        let key = Key(spec: spec, anchor: readsAnchor ? anchor : .epoch)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let compiled = try CompiledRecurrence(spec: spec, anchor: anchor)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = compiled
        }
        return compiled
    }
}
