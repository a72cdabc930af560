@testable import BridgesKit
import BridgesCore
import BridgesPostgres
import BridgesSQLite
import Foundation

/// The store every Kit test runs against, named by where its database lives. Kit's tests reach the
/// database only through this and Kit's operations (the store contract), so the same suite runs
/// against another store by changing this one function.
///
/// With `BRIDGES_TEST_STORE=postgres` and `BRIDGES_TEST_POSTGRES` set to a PostgreSQL address
/// (`.ci/run` starts a throw-away cluster and runs the suites listed in Tests/kit-suites-on-postgres
/// so), each test's database is a schema of its own in that PostgreSQL database, named from the
/// test's path, instead of an SQLite file at the path.
/// `clock` is the time Kit reads (the system's unless a test hands in its own).
func testDatabase(_ path: String, clock: WallClock = WallClock(timeZone: .current) { Date() }) -> DatabaseLocation {
    let temporaryFolder = FileManager.default.temporaryDirectory.path
    guard let postgres = TestStore.postgres else {
        return DatabaseLocation(SQLiteLocation(path: path, temporaryFolder: temporaryFolder), temporaryFolder: temporaryFolder, clock: clock)
    }
    var url = postgres
    url.schema = "test_" + String(SHA256.hash(path.utf8).hexadecimal.prefix(24))
    return DatabaseLocation(PostgresLocation(url: url, maximumConnections: 4), temporaryFolder: temporaryFolder, clock: clock)
}

enum TestStore {
    /// The PostgreSQL database the tests run on, when one is named.
    static let postgres: PostgresURL? = {
        let environment = ProcessInfo.processInfo.environment
        guard environment["BRIDGES_TEST_STORE"] == "postgres" else { return nil }
        guard let text = environment["BRIDGES_TEST_POSTGRES"], !text.isEmpty else {
            fatalError("BRIDGES_TEST_STORE=postgres needs BRIDGES_TEST_POSTGRES, the address of a PostgreSQL database")
        }
        do {
            return try PostgresURL(text, defaultUser: "postgres")
        } catch {
            fatalError("BRIDGES_TEST_POSTGRES: \(error)")
        }
    }()

    /// Whether the tests run on PostgreSQL (tests of what only an SQLite file has are off then).
    static var isPostgres: Bool { postgres != nil }
}

/// A database in the other store than `testDatabase`'s, for copies between stores: SQLite when
/// the tests run on PostgreSQL; PostgreSQL when they run on SQLite and a PostgreSQL database is
/// named (`BRIDGES_TEST_POSTGRES`), else SQLite too.
func otherTestDatabase(_ path: String) -> DatabaseLocation {
    let temporaryFolder = FileManager.default.temporaryDirectory.path
    let environment = ProcessInfo.processInfo.environment
    if !TestStore.isPostgres, let text = environment["BRIDGES_TEST_POSTGRES"], !text.isEmpty, var url = try? PostgresURL(text, defaultUser: "postgres") {
        url.schema = "copy_" + String(SHA256.hash(path.utf8).hexadecimal.prefix(24))
        return DatabaseLocation(PostgresLocation(url: url, maximumConnections: 2), temporaryFolder: temporaryFolder, clock: WallClock(timeZone: .current) { Date() })
    }
    return DatabaseLocation(SQLiteLocation(path: path, temporaryFolder: temporaryFolder), temporaryFolder: temporaryFolder, clock: WallClock(timeZone: .current) { Date() })
}
