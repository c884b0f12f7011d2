import DocketCore
import Logging

extension SchedulerServices {
    /// Asks the journal whether this scheduler leads its runners, taking the leadership when nobody
    /// holds it, and logs when it becomes the leader. A journal that cannot tell gets an error logged,
    /// and the scheduler leads meanwhile: firing and pruning are compare-and-sets, correct with two
    /// leaders, while with none the schedules would not fire.
    func checkLeadership() async -> Bool {
        var leads = true
        if !configuration.assumesLeadership {
            do {
                leads = try await store.tryLead(owner: instanceID)
            } catch {
                logger.error(
                    "docket cannot tell which scheduler leads the journal; this one fires schedules and prunes meanwhile",
                    metadata: ["docket.instance": "\(instanceID)", "error": "\(error)"])
            }
        }
        leadershipChecks.withLock { $0 += 1 }
        let led = leading.withLock { led in
            defer { led = leads }
            return led
        }
        if leads && !led {
            logger.info(
                "docket scheduler leads the journal: it fires the schedules and prunes ended jobs",
                metadata: ["docket.instance": "\(instanceID)"])
        }
        return leads
    }

    /// Gives the leadership up as `run()` ends, so that another scheduler takes it at its next poll.
    func resignLeadership() async {
        leading.withLock { $0 = false }
        await store.resignLeadership(owner: instanceID)
    }
}

extension JobScheduler {
    /// Whether ``run()`` leads the journal's runners now (fires the schedules and prunes): for tests,
    /// the crash child and tools. False while it does not run.
    package var leads: Bool { services.leading.withLock { $0 } }

    /// How many times this scheduler asked the journal whether it leads (at its starts and safety
    /// polls): for tests, which wait for a poll to have happened.
    package var leadershipChecks: Int { services.leadershipChecks.withLock { $0 } }
}
