/// What a schedule does when it fires while the job of its previous firing has not ended.
///
/// "Not ended" means scheduled (waiting for its time, a slot, or a retry) or running. The jobs a
/// schedule creates are ordinary jobs: limits, retries and timeouts apply to them as to any other.
public enum OverlapPolicy: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every firing creates a job, whatever became of the previous one. The default: a schedule's
    /// firings then mean exactly what its rule and catch-up policy say, as with Oban's, River's and
    /// sidekiq-cron's periodic jobs, and a slow or failing job never costs a later firing. Pick
    /// ``skip`` or ``wait`` for work that must not run beside itself.
    case allow
    /// A firing while the previous job has not ended creates nothing; it is counted as skipped.
    case skip
    /// Mergent's rule: a firing while the previous job has not ended is held, and its job is created
    /// as soon as that job ends. At most one firing is held; further firings meanwhile are counted as
    /// skipped.
    case wait

    /// The policy's name, as in the API.
    public var description: String {
        switch self {
        case .allow: "allow"
        case .skip: "skip"
        case .wait: "wait"
        }
    }

    /// The journal's code for the policy.
    package var code: Int {
        switch self {
        case .allow: 0
        case .skip: 1
        case .wait: 2
        }
    }

    /// The policy of a journal code; nil for a code this build does not know.
    package init?(code: Int) {
        switch code {
        case 0: self = .allow
        case 1: self = .skip
        case 2: self = .wait
        default: return nil
        }
    }
}
