import DocketCore
import Tracing

extension DocketTracing {
    /// The trace carriers of jobs scheduled in this process, oldest first, bounded.
    struct RememberedContexts {
        var carriers: [JobID: [String: String]] = [:]
        /// Ids in the order their carriers were kept, from `head` on; forgotten ids stay until
        /// passed, and are skipped then.
        private var order: [JobID] = []
        private var head = 0

        mutating func keep(_ carrier: [String: String], for ids: [JobID], limit: Int) {
            for id in ids {
                carriers[id] = carrier
                order.append(id)
            }
            while carriers.count > limit, head < order.count {
                carriers.removeValue(forKey: order[head])
                head += 1
            }
            // The order holds forgotten ids too, so it is compacted to the kept ones once it is
            // twice the limit, and its passed head dropped once that is the limit.
            if order.count - head > 2 * limit {
                order = order[head...].filter { carriers[$0] != nil }
                head = 0
            } else if head > limit {
                order.removeFirst(head)
                head = 0
            }
        }

        mutating func forget(_ id: JobID) {
            carriers.removeValue(forKey: id)
        }
    }

    /// Writes a tracer's values into a dictionary carrier.
    struct DictionaryInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }
    }

    /// Reads a tracer's values from a dictionary carrier.
    struct DictionaryExtractor: Extractor {
        func extract(key: String, from carrier: [String: String]) -> String? {
            carrier[key]
        }
    }
}
