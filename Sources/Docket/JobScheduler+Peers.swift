import DocketCore
import DocketLocking
import Logging

/// A stalled peer whose running jobs were rescued, at the heartbeat it had then.
struct PeerRescue: Hashable {
    var owner: String
    var heartbeat: UInt64
}

extension JobScheduler {
    /// The safety poll's look at the other runners of the journal: writes this runner's heartbeat,
    /// then rescues the running jobs of the peers that died (their lock is free) or stalled (their
    /// lock is held, their heartbeat older than ``SchedulerConfiguration/runnerLease``). Returns
    /// true when it rescued some.
    ///
    /// A stalled peer is rescued once per heartbeat it shows: it claims nothing while it does not
    /// beat, so looking again before its heartbeat moves would cost a write transaction per poll
    /// and find nothing. `handled` keeps the rescues done.
    func beatAndRescuePeers(lock: any RunnerRegistration, handled: Locked<Set<PeerRescue>>) async -> Bool {
        if lock.beat() {
            logger.warning(
                "docket scheduler went longer than its runner lease without a heartbeat; other runners may have rescued its running jobs, whose outcomes will then not be recorded",
                metadata: ["docket.instance": "\(instanceID)"])
        }
        var stalled: Set<PeerRescue> = []
        var rescuable = false
        for peer in lock.peers() {
            switch lock.standing(of: peer) {
            case .alive: continue
            case .dead: rescuable = true
            case .stalled(let heartbeat): stalled.insert(PeerRescue(owner: peer, heartbeat: heartbeat))
            }
        }
        let fresh = handled.withLock { handled in
            // Forget the peers that beat again or left: if they stall again, they are rescued again.
            handled.formIntersection(stalled)
            return stalled.subtracting(handled)
        }
        guard rescuable || !fresh.isEmpty else { return false }
        for peer in fresh {
            logger.warning(
                "docket runner \(peer.owner) holds its lock but has not beaten for longer than the runner lease; rescuing its running jobs",
                metadata: ["docket.instance": "\(instanceID)", "docket.peer": "\(peer.owner)"])
        }
        do {
            let rescued = try await rescueOrphans(lock: lock)
            handled.withLock { $0.formUnion(fresh) }
            return rescued
        } catch {
            logger.error("docket could not rescue the jobs of a dead scheduler; retrying", metadata: ["error": "\(error)"])
            return false
        }
    }
}
