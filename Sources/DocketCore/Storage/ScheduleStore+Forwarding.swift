/// A store that wraps another and passes its schedules through unchanged: for wrappers that watch or
/// mark the job operations only.
package protocol ForwardingScheduleStore: ScheduleStore {
    /// The store that keeps the schedules.
    var scheduleStore: any ScheduleStore { get }
}

extension ForwardingScheduleStore {
    package func reconcileDeclaredSchedules(
        _ declared: [ScheduleDefinition], now: Timestamp,
        start: @escaping @Sendable (ScheduleDefinition, Timestamp, Timestamp) -> Timestamp?
    ) async throws -> ScheduleReconciliation {
        try await scheduleStore.reconcileDeclaredSchedules(declared, now: now, start: start)
    }

    package func createSchedule(_ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp) async throws -> ScheduleRecord {
        try await scheduleStore.createSchedule(definition, cursor: cursor, now: now)
    }

    package func updateSchedule(_ definition: ScheduleDefinition, cursor: Timestamp?, now: Timestamp) async throws -> ScheduleRecord {
        try await scheduleStore.updateSchedule(definition, cursor: cursor, now: now)
    }

    package func deleteSchedule(named name: String) async throws {
        try await scheduleStore.deleteSchedule(named: name)
    }

    package func setSchedulePaused(
        named name: String, paused: Bool, note: String?, cursor: Timestamp?, now: Timestamp
    ) async throws -> ScheduleRecord {
        try await scheduleStore.setSchedulePaused(named: name, paused: paused, note: note, cursor: cursor, now: now)
    }

    package func triggerSchedule(named name: String, job: NewJob, now: Timestamp) async throws -> JobID {
        try await scheduleStore.triggerSchedule(named: name, job: job, now: now)
    }

    package func schedule(named name: String) async throws -> ScheduleRecord? {
        try await scheduleStore.schedule(named: name)
    }

    package func schedules(after name: String?, limit: Int) async throws -> [ScheduleRecord] {
        try await scheduleStore.schedules(after: name, limit: limit)
    }

    package func fireDueSchedules(
        now: Timestamp, limit: Int, decide: @escaping @Sendable (ScheduleRecord, Bool) -> ScheduleFiringDecision
    ) async throws -> ScheduleFiringReport {
        try await scheduleStore.fireDueSchedules(now: now, limit: limit, decide: decide)
    }
}
