// Users import one module and see the product, not the engine. The core's value types that the public
// API speaks are re-exported one by one; everything else in DocketCore and DocketSQLite is `package`,
// visible to Docket's own targets only. Re-exporting each type (rather than moving it here) keeps the
// engine, which needs these types too, free of any dependency on this module.
@_exported import struct DocketCore.JobID
@_exported import enum DocketCore.JobState
@_exported import enum DocketCore.Durability
@_exported import enum DocketCore.JobDefaults
@_exported import enum DocketCore.RetryStrategy
@_exported import struct DocketCore.RetryPolicy
@_exported import struct DocketCore.RetryContext
@_exported import enum DocketCore.RetryDecision
@_exported import enum DocketCore.UniqueScope
@_exported import enum DocketCore.OverlapPolicy
@_exported import struct DocketCore.CatchUpPolicy
// The package's lock, `Locked`, for every file of this module and every target of the package that
// imports Docket. It is declared `package`, so users outside the package see nothing of it.
@_exported import DocketLocking
