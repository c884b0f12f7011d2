import DocketCore
import Foundation

extension JobScheduler {
    /// Declares the schedules this code defines, replacing any earlier declaration. Each ``run()``
    /// reconciles the journal with them when it starts: new ones are added, changed ones restart
    /// their cursor from now, and declared ones no longer listed stop firing and are kept, marked
    /// removed, for inspection. A pause set by an operator survives; only resume clears it.
    ///
    /// Call it before `run()`; a declaration made while `run()` runs takes effect at the next run.
    ///
    /// - Throws: ``DocketError/invalidInput(_:)`` for a bad name, rule, zone or option, or a name
    ///   declared twice; ``DocketError/encodingFailed(name:underlying:)`` for a payload that does not
    ///   encode. Nothing is declared then.
    public func declareSchedules(_ schedules: [Schedule]) throws(DocketError) {
        var definitions: [ScheduleDefinition] = []
        var names: Set<String> = []
        for schedule in schedules {
            let definition = try schedule.definition()
            guard names.insert(definition.name).inserted else {
                throw .invalid(.scheduleName, definition.name, "the schedule name is declared twice; give each schedule its own name")
            }
            definitions.append(definition)
        }
        services.declaredSchedules.withLock { $0 = definitions }
    }

    /// Creates a schedule at run time (a per-user schedule, say). A redeclaration never touches it;
    /// only the API changes or deletes it. Its first firing is the first of its rule from now.
    ///
    /// - Throws: ``DocketError/scheduleExists(name:)`` when the name is taken (by a declared or a
    ///   created schedule); ``DocketError/invalidInput(_:)`` and
    ///   ``DocketError/encodingFailed(name:underlying:)`` as ``declareSchedules(_:)``;
    ///   ``DocketError/storage(_:)`` when the journal fails.
    @discardableResult
    public func createSchedule(_ schedule: Schedule) async throws(DocketError) -> ScheduleInfo {
        let (definition, cursor, now) = try startingNow(schedule)
        let record = try await DocketError.wrapping { try await store.createSchedule(definition, cursor: cursor, now: now) }
        send(.schedulesChanged)
        return ScheduleInfo(record)
    }

    /// Replaces a created schedule's definition; its cursor restarts from now. Pause and counts stay.
    ///
    /// - Throws: ``DocketError/scheduleNotFound(name:)``; ``DocketError/scheduleDeclaredInCode(name:)``
    ///   for a declared schedule; otherwise as ``createSchedule(_:)``.
    @discardableResult
    public func updateSchedule(_ schedule: Schedule) async throws(DocketError) -> ScheduleInfo {
        let (definition, cursor, now) = try startingNow(schedule)
        let record = try await DocketError.wrapping { try await store.updateSchedule(definition, cursor: cursor, now: now) }
        send(.schedulesChanged)
        return ScheduleInfo(record)
    }

    /// Deletes a created schedule. The jobs it created stay, and keep its name in their context.
    ///
    /// - Throws: ``DocketError/scheduleNotFound(name:)``, ``DocketError/scheduleDeclaredInCode(name:)``
    ///   or ``DocketError/storage(_:)``.
    public func deleteSchedule(named name: String) async throws(DocketError) {
        try await DocketError.wrapping { try await store.deleteSchedule(named: name) }
    }

    /// The schedule named `name`, or nil.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal fails.
    public func schedule(named name: String) async throws(DocketError) -> ScheduleInfo? {
        try await DocketError.wrapping { try await store.schedule(named: name) }.map(ScheduleInfo.init)
    }

    /// Schedules in name order, declared (also those marked removed) and created: a page of at most
    /// `limit`, after the name `after` when given.
    ///
    /// - Throws: ``DocketError/storage(_:)`` when the journal fails.
    public func schedules(after name: String? = nil, limit: Int = 100) async throws(DocketError) -> [ScheduleInfo] {
        try await DocketError.wrapping { try await store.schedules(after: name, limit: limit) }.map(ScheduleInfo.init)
    }

    /// Pauses a schedule, declared or created: it fires no more until ``resumeSchedule(named:)``,
    /// across restarts and redeclarations. Jobs it already created are not touched.
    ///
    /// - Throws: ``DocketError/scheduleNotFound(name:)``; ``DocketError/invalidInput(_:)`` for a note
    ///   over 1,024 bytes; ``DocketError/storage(_:)``.
    @discardableResult
    public func pauseSchedule(named name: String, note: String? = nil) async throws(DocketError) -> ScheduleInfo {
        if let note { try JobValidation.validate(pauseNote: note) }
        let now = now()
        let record = try await DocketError.wrapping {
            try await store.setSchedulePaused(named: name, paused: true, note: note, cursor: nil, now: now)
        }
        return ScheduleInfo(record)
    }

    /// Resumes a paused schedule: its next firing is the first of its rule from now. Firings while
    /// it was paused are not caught up on. Resuming one that is not paused changes nothing.
    ///
    /// - Throws: ``DocketError/scheduleNotFound(name:)`` or ``DocketError/storage(_:)``.
    @discardableResult
    public func resumeSchedule(named name: String) async throws(DocketError) -> ScheduleInfo {
        let now = now()
        let record = try await existingSchedule(named: name)
        let cursor = services.firstFiring(of: record.definition, anchor: record.anchor, from: now)
        let resumed = try await DocketError.wrapping {
            try await store.setSchedulePaused(named: name, paused: false, note: nil, cursor: cursor, now: now)
        }
        send(.schedulesChanged)
        return ScheduleInfo(resumed)
    }

    /// Creates one extra job of a schedule now, without moving its cursor: its context's firing is
    /// now. A paused schedule may be triggered too.
    ///
    /// - Throws: ``DocketError/scheduleNotFound(name:)`` or ``DocketError/storage(_:)``.
    @discardableResult
    public func triggerSchedule(named name: String) async throws(DocketError) -> ScheduledJob {
        let now = now()
        let record = try await existingSchedule(named: name)
        let job = services.job(of: record.definition, stamp: ScheduleStamp(schedule: name, firing: now), runAt: now)
        let id = try await DocketError.wrapping { try await store.triggerSchedule(named: name, job: job, now: now) }
        send(.scheduled([.init(timer: TimerEntry(id: id, deadline: now, priority: job.priority), name: job.name)]))
        emit(.scheduled, jobID: id, jobName: job.name, runAt: now)
        return ScheduledJob(id: id, isDuplicate: false)
    }

    /// The next `count` firings of a schedule from now, as its journal's rule and anchor compute
    /// them (whether or not it is paused).
    ///
    /// - Throws: ``DocketError/scheduleNotFound(name:)``; ``DocketError/invalidInput(_:)`` when its
    ///   rule cannot be computed on this system (its zone is unknown here); ``DocketError/storage(_:)``.
    public func previewSchedule(named name: String, count: Int) async throws(DocketError) -> [Date] {
        let record = try await existingSchedule(named: name)
        let rule = try services.recurrences.compiled(record.definition.recurrence, anchor: record.anchor)
        return rule.firings(after: now() - .microseconds(1), count: max(0, count)).map(\.date)
    }

    /// `schedule`'s journal form, with its first firing when it starts now, and now.
    private func startingNow(_ schedule: Schedule) throws(DocketError) -> (ScheduleDefinition, Timestamp?, Timestamp) {
        let definition = try schedule.definition()
        let now = now()
        return (definition, services.firstFiring(of: definition, anchor: now, from: now), now)
    }

    /// The schedule named `name`; throws ``DocketError/scheduleNotFound(name:)`` when there is none.
    private func existingSchedule(named name: String) async throws(DocketError) -> ScheduleRecord {
        guard let record = try await DocketError.wrapping({ try await store.schedule(named: name) }) else {
            throw .scheduleNotFound(name: name)
        }
        return record
    }

    /// Reconciles the journal with the declared schedules, if any were declared: `run()` does this
    /// when it starts, after crash recovery.
    package func reconcileDeclaredSchedules() async throws(DocketError) {
        guard let declared = services.declaredSchedules.withLock({ $0 }) else { return }
        let services = self.services
        let report = try await DocketError.wrapping {
            try await store.reconcileDeclaredSchedules(declared, now: now()) { definition, anchor, from in
                services.firstFiring(of: definition, anchor: anchor, from: from)
            }
        }
        for (names, what) in [(report.added, "added"), (report.changed, "changed"), (report.removed, "removed")] where !names.isEmpty {
            logger.info("docket schedules \(what)", metadata: ["docket.schedules": "\(names.joined(separator: ", "))"])
        }
    }

    /// One firing pass at the scheduler's time, as the run loop makes it; the loop's own passes
    /// also feed its timer index.
    package func firingPass() async throws(DocketError) -> ScheduleFiringReport {
        let services = self.services
        let now = now()
        let report = try await DocketError.wrapping {
            try await store.fireDueSchedules(now: now, limit: SchedulerLoop.schedulesPerPass) { record, active in
                services.firingDecision(record, previousJobActive: active, now: now)
            }
        }
        services.log(report)
        for (id, job) in report.created { emit(.scheduled, jobID: id, jobName: job.name, runAt: job.runAt) }
        if !report.created.isEmpty {
            send(.scheduled(report.created.map { .init(timer: TimerEntry(id: $0.id, deadline: $0.job.runAt, priority: $0.job.priority), name: $0.job.name) }))
        }
        return report
    }
}
