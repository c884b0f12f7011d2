// Users import one module. The core's value types (JobID, JobState, RetryStrategy, …) are part of the
// public API, and the journal's configuration and errors surface through it.
@_exported import DocketCore
@_exported import DocketSQLite
