// Users import one module. The core's value types (JobID, JobState, RetryStrategy, …) are part of the
// public API, and the journal's configuration and errors surface through it.
@_exported import DocketCore
@_exported import DocketSQLite
// The package's lock, `Locked`, for every file of this module and every target of the package that
// imports Docket. It is declared `package`, so users outside the package see nothing of it.
@_exported import DocketLocking
