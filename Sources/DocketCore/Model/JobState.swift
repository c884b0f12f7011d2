/// Where a job is in its life.
///
/// ```
/// scheduled ──claim──▶ running ──complete──▶ completed
///     ▲  │                │
///     │  │                ├──fail, attempts left──▶ scheduled (new run-at)
///     │  │                ├──fail, spent / fatal──▶ discarded
///     │  │                └──snooze / release─────▶ scheduled (attempt given back)
///     │  └──cancel──▶ cancelled
///     └── reschedule / run now (stays scheduled)
/// ```
///
/// Mergent's words map as queued = ``scheduled``, working = ``running``, success = ``completed`` and
/// failure = ``discarded``.
public enum JobState: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Waiting for its run-at time, or due and waiting for a free slot.
    case scheduled
    /// Claimed by a scheduler; an attempt is in progress.
    case running
    /// The handler returned normally. Terminal.
    case completed
    /// Attempts are spent or the handler refused the job. Terminal; the error history is kept.
    case discarded
    /// Cancelled by a user while scheduled. Terminal.
    case cancelled

    /// Whether no transition leaves this state.
    public var isTerminal: Bool {
        switch self {
        case .scheduled, .running: false
        case .completed, .discarded, .cancelled: true
        }
    }

    /// A stable small integer for storage. Never renumber: journals on disk hold these.
    package var code: Int {
        switch self {
        case .scheduled: 0
        case .running: 1
        case .completed: 2
        case .discarded: 3
        case .cancelled: 4
        }
    }

    /// The state stored as `code`, or nil for an unknown code.
    package init?(code: Int) {
        guard let state = JobState.allCases.first(where: { $0.code == code }) else { return nil }
        self = state
    }

    /// The state's name.
    public var description: String { rawValue }
}
