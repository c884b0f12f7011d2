import DocketCore

/// Payloads kept apart from their job rows (schema version `versionPayloads`, see ``JournalSchema``).
///
/// A payload over ``inlinePayloadLimit`` bytes is written once, when its job is inserted, to
/// `job_payloads`; its job row holds an empty blob and `payload_apart = 1`. The row's state changes
/// then rewrite only the row, whatever the payload's size, and every read that decodes a job row
/// fetches the payload back by the job's id. Pruning deletes the two together.
extension SQLiteJournal {
    /// The largest payload, in bytes, a job row holds itself. A row this size still fits a 4 KB page
    /// with room for its neighbours, and a state change writes that page anyway; a larger payload
    /// would make the row spill into overflow pages, which each change would write again. Keeping
    /// small payloads inline spares the drain path a second B-tree per job.
    static let inlinePayloadLimit = 1_024

    /// Whether a payload of `size` bytes is kept apart from its job row.
    static func keepsApart(payloadBytes size: Int) -> Bool {
        size > inlinePayloadLimit
    }

    static let insertPayloadSQL = "INSERT INTO job_payloads (job_id, payload) VALUES (?1, ?2)"

    static let payloadSQL = "SELECT payload FROM job_payloads WHERE job_id = ?1"

    static let deletePayloadSQL = "DELETE FROM job_payloads WHERE job_id = ?1"

    /// The payload of job `id` kept apart, read inside whatever transaction `connection` is in.
    ///
    /// - Throws: ``JournalError/Kind/notAJournal`` when the job row says its payload is apart and
    ///   `job_payloads` has none: the journal was changed by something other than Docket.
    static func payloadApart(of id: JobID, on connection: Connection) throws -> [UInt8] {
        guard let payload = try connection.firstRow(payloadSQL, [id], row: { $0.blob(0) }) else {
            throw JournalError(
                kind: .notAJournal, message: "job \(id) has its payload apart, and job_payloads has no row for it",
                path: connection.path)
        }
        return payload
    }
}
