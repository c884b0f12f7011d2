/// Which jobs hold a unique key, and so for how long a key keeps new jobs with it out.
///
/// A new job whose key is held is not inserted: scheduling returns the holder's id, marked as a
/// duplicate. Whether a job holds its key is decided by the *holder's* scope alone, never by the
/// newcomer's:
///
/// | the job with the key is | ``whileActive`` holder | ``whileActiveOrCompleted`` holder |
/// | --- | --- | --- |
/// | scheduled or running | holds | holds |
/// | completed | free | holds, until the job is removed from the journal |
/// | discarded or cancelled | free | free |
///
/// So a new job with any scope is a duplicate while a job with its key is active, or after a
/// ``whileActiveOrCompleted`` job with its key completed; and a job that ended under
/// ``whileActive`` never keeps out a newcomer, whatever the newcomer's scope.
public enum UniqueScope: Sendable, Hashable, CaseIterable {
    /// The key is held while the job is scheduled or running; it is free once the job ends.
    ///
    /// For work that must not run twice at once but may run again later: "refresh the feed of user
    /// 7" scheduled on every change coalesces into one pending job.
    case whileActive

    /// The key is held while the job is scheduled or running and, after the job completed, until
    /// the job is removed from the journal.
    ///
    /// For work that must be done once: "send the welcome email to user 7". A job that is discarded
    /// or cancelled did not do its work, so it frees the key and the work can be scheduled again;
    /// a key held for ever by a failed job could never be retried.
    case whileActiveOrCompleted

    /// The value stored in a journal. Never renumber: journals on disk hold these.
    package var code: Int {
        switch self {
        case .whileActive: 0
        case .whileActiveOrCompleted: 1
        }
    }

    /// The scope stored as `code`, or nil for an unknown code.
    package init?(code: Int) {
        guard let scope = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = scope
    }
}
