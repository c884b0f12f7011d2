import CSQLite

/// The SQLite library versions the journal needs, and the check that refuses an older library.
///
/// Versions are numbers in SQLite's own encoding, `SQLITE_VERSION_NUMBER`: major × 1,000,000 + minor
/// × 1,000 + patch, so 3.37.0 is 3037000.
enum SQLiteVersion {
    /// The first SQLite with `RETURNING`, which the journal's insert, claim and transitions use.
    static let returning = 3_035_000
    /// The first SQLite with `sqlite3_changes64`, which the journal counts changed rows with.
    static let changes64 = 3_037_000
    /// The oldest SQLite the journal runs on.
    static let required = max(returning, changes64)

    /// The version of the libsqlite3 this process runs with (not the headers it was built against).
    static var linked: Int { Int(sqlite3_libversion_number()) }

    /// Throws ``JournalError/Kind/sqliteTooOld(found:required:)`` when `found` is older than
    /// ``required``. A pure function of its arguments, so that tests can feed it any version.
    static func check(_ found: Int, path: String?) throws(JournalError) {
        guard found < required else { return }
        throw JournalError(
            kind: .sqliteTooOld(found: found, required: required),
            message: "sqlite3_libversion_number() is \(found)", path: path)
    }

    /// `3034001` as `3.34.1`.
    static func text(_ number: Int) -> String {
        "\(number / 1_000_000).\(number / 1_000 % 1_000).\(number % 1_000)"
    }
}
