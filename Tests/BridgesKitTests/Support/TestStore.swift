@testable import BridgesKit
import BridgesSQLite
import Foundation

/// The store every Kit test runs against, named by where its database lives. Kit's tests reach the
/// database only through this and Kit's operations (the store contract), so the same suite runs
/// against another store by changing this one function.
/// `clock` is the time Kit reads (the system's unless a test hands in its own).
func testDatabase(_ path: String, clock: WallClock = WallClock(timeZone: .current) { Date() }) -> DatabaseLocation {
    DatabaseLocation(
        SQLiteLocation(path: path, temporaryFolder: FileManager.default.temporaryDirectory.path),
        temporaryFolder: FileManager.default.temporaryDirectory.path, clock: clock)
}
