import DocketCore

extension SchedulerLoop {
    /// The most schedules one firing pass takes: a pass is one transaction on the journal's writer,
    /// so a minute on which thousands of schedules fire is split into passes that leave room for
    /// ticks in between.
    static let schedulesPerPass = 256

    /// Whether a firing pass is due: this scheduler leads, and one was asked for or the earliest
    /// cursor has come.
    func schedulePassIsDue(now: Timestamp) -> Bool {
        guard leads, !draining, !isFiringSchedules else { return false }
        if schedulePassWanted { return true }
        if let due = nextScheduleDue, due <= now { return true }
        return false
    }

    /// Fires the due schedules in a task of the loop's group, without waiting:
    /// ``LoopMessage/schedulesFired(_:)`` brings the report.
    mutating func fireSchedules(_ group: inout DiscardingTaskGroup, now: Timestamp) {
        schedulePassWanted = false
        isFiringSchedules = true
        let services = self.services
        let inbox = self.inbox
        group.addTask(priority: .high) {
            let report: ScheduleFiringReport?
            do {
                report = try await services.store.fireDueSchedules(now: now, limit: Self.schedulesPerPass) { record, active in
                    services.firingDecision(record, previousJobActive: active, now: now)
                }
            } catch {
                services.logger.error("docket could not fire the due schedules; retrying", metadata: ["error": "\(error)"])
                report = nil
            }
            inbox.send(.schedulesFired(report))
        }
    }

    /// Takes a firing pass's report: its jobs join the timer index like any other, and the loop
    /// learns when the next schedule is due.
    mutating func schedulesFired(_ report: ScheduleFiringReport?) {
        isFiringSchedules = false
        guard let report else {
            // The journal failed: look again after a poll interval, whatever the cursor says.
            nextScheduleDue = services.now() + services.configuration.pollInterval
            return
        }
        let now = services.now()
        for (id, job) in report.created {
            let timer = TimerEntry(id: id, deadline: job.runAt, priority: job.priority)
            if services.hasHandler(for: job.name) {
                state.scheduled(timer, now: now)
            } else if job.runAt <= now {
                reportWaiting(DueEntry(id: id, runAt: job.runAt, priority: job.priority, name: job.name))
            }
            services.emit(.scheduled, jobID: id, jobName: job.name, runAt: job.runAt)
        }
        services.log(report)
        nextScheduleDue = report.nextDue
        schedulesHeld = report.hasHeld
        if report.hasMore { schedulePassWanted = true }
    }
}
