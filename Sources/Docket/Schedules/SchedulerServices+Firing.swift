import DocketCore

extension SchedulerServices {
    /// What a due schedule does now: its plan under its catch-up and overlap policies, and the jobs
    /// the plan's firings create. Runs inside the firing pass's transaction, on the journal's writer.
    func firingDecision(_ record: ScheduleRecord, previousJobActive: Bool, now: Timestamp) -> ScheduleFiringDecision {
        let definition = record.definition
        let rule: CompiledRecurrence
        do {
            rule = try recurrences.compiled(definition.recurrence, anchor: record.anchor)
        } catch {
            return ScheduleFiringDecision(failure: "paused by Docket: its firings cannot be computed here: \(error)")
        }
        let state = FiringState(cursor: record.cursor, held: record.held, previousJobActive: previousJobActive)
        let plan = FiringPlanner.plan(state, now: now, catchUp: definition.catchUp, overlap: definition.overlap) {
            rule.nextFiring(after: $0)
        }
        let jobs = plan.firings.map { firing in
            job(of: definition, stamp: ScheduleStamp(schedule: definition.name, firing: firing), runAt: firing)
        }
        return ScheduleFiringDecision(plan: plan, jobs: jobs)
    }

    /// Tells the operator what a firing pass decided that no job shows: schedules paused because
    /// they cannot fire here, and firings let go by a catch-up policy (counted in
    /// ``ScheduleInfo/missed`` too); and counts the pass's firings for ``DocketMetrics``, if configured.
    func log(_ report: ScheduleFiringReport) {
        metrics?.record(report)
        for (name, reason) in report.failed {
            logger.error("docket paused a schedule", metadata: ["docket.schedule": "\(name)", "reason": "\(reason)"])
        }
        for (name, count) in report.missed {
            logger.warning(
                "docket missed firings of a schedule: they were reached over a minute late (no scheduler ran, or it stalled) and its catch-up policy creates no job for them",
                metadata: ["docket.schedule": "\(name)", "docket.missed": "\(count)"])
        }
    }

    /// The job `definition` creates for `stamp`, due at `runAt`; the attempt limit left open is the
    /// handler's, then the configuration's, as for a job scheduled directly.
    func job(of definition: ScheduleDefinition, stamp: ScheduleStamp, runAt: Timestamp) -> NewJob {
        let template = definition.job
        let maxAttempts = template.maxAttempts ?? handler(for: template.name)?.options.maxAttempts
            ?? configuration.defaultMaxAttempts
        var job = NewJob(
            name: template.name, queue: template.queue, priority: template.priority, payload: template.payload,
            runAt: runAt, maxAttempts: maxAttempts, timeout: template.timeout, retryOverride: template.retryOverride)
        job.origin = stamp
        return job
    }

    /// The first firing at or after `from` of `definition`'s rule anchored at `anchor`; nil when the
    /// rule cannot be computed (it was checked when declared) or has ended.
    func firstFiring(of definition: ScheduleDefinition, anchor: Timestamp, from: Timestamp) -> Timestamp? {
        (try? recurrences.compiled(definition.recurrence, anchor: anchor))?.firstFiring(atOrAfter: from)
    }
}
