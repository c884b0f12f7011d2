/// Fair shares of a claim's room among queues that all have work.
///
/// Every queue is credited with the starts it got; a claim gives its slots one at a time to the
/// queue with work, room under its limits, and the fewest starts so far (ties by name). Queues that
/// keep having work thus get equal starts, whatever their priorities or backlog, and priorities
/// order jobs only within a queue. A queue that runs dry, or leaves the competition (paused, at a
/// limit, no jobs), banks no credit: when it competes again it starts level with the least served
/// of the others, so that it cannot then take every slot until it catches up.
///
/// Kept by the process that claims, in memory: fairness holds over the claims it makes.
package struct QueueShares: Sendable {
    /// Starts credited to each queue, less the smallest credit of the last claim.
    package private(set) var credit: [String: Int] = [:]

    /// An empty record: every queue level.
    package init() {}

    /// Divides `room` slots among `allowances` (queue name and the most it may start, above zero),
    /// giving each slot to the least credited queue with allowance left. Queues with no credit yet
    /// start level with the least credited of those given. Returns the shares above zero, in
    /// `allowances`' order.
    /// - Complexity: O(*room* × *n*) for *n* queues.
    package func allot(room: Int, among allowances: [(queue: String, allowance: Int)]) -> [(queue: String, count: Int)] {
        guard room > 0, !allowances.isEmpty else { return [] }
        let known = allowances.compactMap { credit[$0.queue] }
        let floor = known.min() ?? 0
        var load = allowances.map { credit[$0.queue] ?? floor }
        var shares = Array(repeating: 0, count: allowances.count)
        for _ in 0..<room {
            var best: Int?
            for index in allowances.indices where shares[index] < allowances[index].allowance {
                guard let current = best else {
                    best = index
                    continue
                }
                if (load[index], allowances[index].queue) < (load[current], allowances[current].queue) { best = index }
            }
            guard let chosen = best else { break }
            shares[chosen] += 1
            load[chosen] += 1
        }
        return allowances.indices.compactMap { shares[$0] > 0 ? (allowances[$0].queue, shares[$0]) : nil }
    }

    /// Credits a claim: `started` says how many jobs each competing queue started; `dry` are those
    /// that had fewer due jobs than their share. Queues that did not compete, and dry ones, are set
    /// level with the least credited queue still busy, so that no idle time turns into credit.
    package mutating func credit(started: [String: Int], competing: [String], dry: Set<String>) {
        guard !competing.isEmpty else { return }
        let known = competing.compactMap { credit[$0] }
        let floor = known.min() ?? 0
        var next: [String: Int] = [:]
        for queue in competing { next[queue] = (credit[queue] ?? floor) + started[queue, default: 0] }
        let busy = competing.filter { !dry.contains($0) }.compactMap { next[$0] }
        if let level = busy.min() {
            for queue in dry { if let value = next[queue] { next[queue] = max(value, level) } }
        }
        let base = next.values.min() ?? 0
        credit = next.mapValues { $0 - base }
    }
}
