import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// A Bridges database and the operations people ask of it. Open one per process.
public final class Records: Sendable {
    let database: BridgesDatabase

    /// What a command needs of the database (see `BridgesDatabase.Access`).
    public enum Access: Sendable {
        /// Only reads: never creates, migrates or otherwise changes the file.
        case read
        /// Records something: creates the database on first use and brings it up to date.
        case write
    }

    /// Opens the database at `path`. With `.write` (the default) it is created and migrated on
    /// first use; with `.read` a missing database is `.notFound` and nothing about the file changes.
    public init(databasePath: String, access: Access = .write) throws(BridgesError) {
        do {
            database = try BridgesDatabase(path: databasePath, access: access == .read ? .read : .write)
        } catch {
            throw BridgesError(error)
        }
    }

    private init(database: BridgesDatabase) { self.database = database }

    /// A new database that no one else knows of yet, written in bulk (see
    /// `BridgesDatabase.init(path:createIfMissing:bulkCreation:)`).
    init(creatingInBulkAt path: String) throws(BridgesError) {
        do {
            database = try BridgesDatabase(path: path, bulkCreation: true)
        } catch {
            throw BridgesError(error)
        }
    }

    /// Opens an existing database; nil when there is none (nothing is created). `.read` leaves
    /// the file as it is; `.write` brings an earlier Bridges' database up to date.
    public static func openIfPresent(databasePath: String, access: Access = .read) throws(BridgesError) -> Records? {
        do {
            return try BridgesDatabase.openExisting(path: databasePath, access: access == .read ? .read : .write).map(Records.init(database:))
        } catch {
            throw BridgesError(error)
        }
    }

    public var databasePath: String { database.path }

    /// The schema changes this open applied to a database an earlier Bridges wrote (none for a
    /// new or current one).
    public var upgradedOnOpen: [String] { database.migratedOnOpen }

    /// Closes the database before this object goes (it closes itself when it goes otherwise).
    func close() throws(BridgesError) {
        try store { () throws(StoreError) in try database.close() }
    }

    /// Runs a store call, turning its errors into the operation's.
    func store<T>(_ body: () throws(StoreError) -> T) throws(BridgesError) -> T {
        do {
            return try body()
        } catch {
            throw BridgesError(error)
        }
    }
}

extension Records {
    /// Marks this database as the demo's: when it starts, and (`complete`) when it has built
    /// all of it, so `bridges demo` may replace it later if nothing was recorded since.
    func markAsDemo(actor: String, complete: Bool = false) throws(BridgesError) {
        try store { () throws(StoreError) in try database.recordMarker(complete ? Demo.completeMarker : Demo.marker, actor: actor) }
    }

    /// Whether anything has been recorded: lesson plans, a roster, officers, sessions or certificates.
    func holdsRecords() throws(BridgesError) -> Bool {
        try store { () throws(StoreError) in try database.holdsRecords() }
    }

    /// Whether this database was built by `bridges demo` to the end and nothing was recorded in
    /// it since.
    func isUntouchedDemo() throws(BridgesError) -> Bool {
        try store { () throws(StoreError) in try database.lastEventIsMarker(Demo.completeMarker) }
    }
}

extension Records {
    /// A new folder only this user can enter, in the temporary folder, for files an operation
    /// writes and reads back (a shared temporary folder is no place for those: another user
    /// could swap one in between). The caller removes it.
    static func privateScratchFolder(named tag: String, for purpose: String) throws(BridgesError) -> String {
        let base = FileManager.default.temporaryDirectory.path
        do {
            return try SystemCall.makeTemporaryFolder((base.hasSuffix("/") ? base : base + "/") + "bridges-\(tag)-XXXXXX")
        } catch {
            throw .io("cannot make a temporary folder in \(base) for \(purpose): \(error.message)")
        }
    }
}
