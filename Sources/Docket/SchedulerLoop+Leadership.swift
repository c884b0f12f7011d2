import DocketCore

extension SchedulerLoop {
    /// Asks the journal, in a task of the loop's group, whether this scheduler leads: a follower
    /// takes the leadership once its holder has died or resigned, and the leader learns if it lost
    /// it. ``LoopMessage/leadershipChecked(_:)`` brings the answer. Once per safety poll.
    mutating func checkLeadership(_ group: inout DiscardingTaskGroup) {
        guard !isCheckingLeadership else { return }
        isCheckingLeadership = true
        let services = self.services
        let inbox = self.inbox
        group.addTask { inbox.send(.leadershipChecked(await services.checkLeadership())) }
    }

    /// Takes the journal's answer. A new leader fires the due schedules and prunes at once: it
    /// cannot know when the previous leader last did.
    mutating func leadershipChecked(_ leads: Bool) {
        isCheckingLeadership = false
        guard leads != self.leads else { return }
        self.leads = leads
        if leads {
            schedulePassWanted = true
            if nextPrune != nil { nextPrune = clock.elapsed() }
        } else {
            nextScheduleDue = nil
        }
    }
}
