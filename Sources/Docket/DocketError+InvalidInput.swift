extension DocketError {
    /// Which value of a job's or handler's description was refused, what it was, and why.
    public struct InvalidInput: Sendable, Hashable, CustomStringConvertible {
        /// The value that was refused.
        public enum Field: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
            /// The job name: 1 to 255 UTF-8 bytes, no control characters.
            case name
            /// The queue name: 1 to 255 UTF-8 bytes.
            case queue
            /// The priority: 0 (first) to 9.
            case priority
            /// The attempt limit: 1 to 10,000.
            case maxAttempts
            /// The unique key: 1 to 1,024 UTF-8 bytes.
            case uniqueKey
            /// The attempt timeout: above zero.
            case timeout
            /// The date of ``JobTiming/at(_:)``: finite, and no later than ``JobTiming/latestDate``.
            case date
            /// The delay of `JobTiming.after(_:)`, as a duration or as text: readable, not negative,
            /// and at most 100 years.
            case delay
            /// The schedule name: 1 to 255 UTF-8 bytes, no control characters.
            case scheduleName
            /// A schedule's rule: a cron expression or an RRULE that parses and fires at least once.
            case recurrence
            /// A schedule's time zone: an IANA name the system's zone data knows.
            case timeZone
            /// A schedule's catch-up policy: a limit of 1 to 10,000, a window above zero.
            case catchUp
            /// A schedule's or queue's pause note: at most 1,024 UTF-8 bytes.
            case pauseNote
            /// A queue's limits in ``SchedulerConfiguration/queues``: a concurrency limit and rate
            /// limit starts of at least 1, a rate period above zero and at most a day.
            case queueLimit
            /// ``SchedulerConfiguration/retention``: keep durations not negative and at most 100
            /// years, an interval above zero and at most a day, a batch size of 1 to 10,000.
            case retention
            /// The page size of a listing: 1 to 10,000 (``JobPage/limitRange``).
            case pageLimit
            /// A time range of a ``JobQuery``: its upper bound no earlier than its lower bound.
            case dateRange
            /// ``JobQuery/errorContains``: not empty.
            case errorText
            /// A listing's ``JobCursor``: it continues a page of the same query, so its state is one
            /// the query lists.
            case cursor

            /// The field's name, as in the API.
            public var description: String { rawValue }
        }

        /// The value that was refused.
        public var field: Field
        /// What was given, as text: the name, number, key, duration, date or delay text. Never payload
        /// bytes.
        public var value: String
        /// What was wrong with it and what would be accepted.
        public var reason: String

        /// Describes a refused value.
        public init(field: Field, value: String, reason: String) {
            self.field = field
            self.value = value
            self.reason = reason
        }

        /// `invalid priority: …`, ready for a log line or an HTTP 400 body.
        public var description: String { "invalid \(field): \(reason)" }
    }
}
