import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// The registrar: every operation people ask of Bridges (load lessons, import a roster, log a
/// session, issue a certificate, export a report …), on one database, as a school's registrar
/// keeps its records. The command line and the server are its two front doors; open one per
/// process.
///
/// It is given a store (the contract of `BridgesStore`): the embedded SQLite file or PostgreSQL
/// store a front door opened. It never sees how the store keeps its data.
public final class Registrar: Sendable {
    let database: any Store
    /// Where an operation may make a private folder for files it writes and reads back (the
    /// front door's temporary folder).
    let temporaryFolder: String
    /// The time and time zone every operation reads (the front door's; Kit reads no clock itself).
    public let clock: WallClock

    /// What a command needs of the database.
    public enum Access: Sendable {
        /// Only reads: never creates, migrates or otherwise changes the database.
        case read
        /// Records something: creates the database on first use and brings it up to date.
        case write

        var store: StoreAccess { self == .read ? .read : .write }
    }

    /// Works on `store`, which the caller opened and owns, reading the time from `clock`.
    package init(store: any Store, temporaryFolder: String, clock: WallClock) {
        database = store
        self.temporaryFolder = temporaryFolder
        self.clock = clock
    }

    /// Opens the database at `location`. With `.write` (the default) it is created and migrated
    /// on first use; with `.read` a missing database is `.notFound` and nothing about it changes.
    public convenience init(_ location: DatabaseLocation, access: Access = .write) async throws(BridgesError) {
        do {
            await self.init(store: try location.store.open(access.store), temporaryFolder: location.temporaryFolder, clock: location.clock)
        } catch {
            throw BridgesError(error)
        }
    }

    /// Opens an existing database; nil when there is none (nothing is created). `.read` leaves
    /// it as it is; `.write` brings an earlier Bridges' database up to date.
    public static func openIfPresent(_ location: DatabaseLocation, access: Access = .read) async throws(BridgesError) -> Registrar? {
        do {
            return try await location.store.openIfPresent(access.store).map { Registrar(store: $0, temporaryFolder: location.temporaryFolder, clock: location.clock) }
        } catch {
            throw BridgesError(error)
        }
    }

    /// The schema changes this open applied to a database an earlier Bridges wrote (none for a
    /// new or current one).
    public var upgradedOnOpen: [String] { database.upgradedOnOpen }

    /// Closes the database before this object goes (it closes itself when it goes otherwise).
    func close() async throws(BridgesError) {
        try await store { () async throws(StoreError) in try await database.close() }
    }

    /// Runs a store call, turning its errors into the operation's.
    func store<T>(_ body: () async throws(StoreError) -> T) async throws(BridgesError) -> T {
        do {
            return try await body()
        } catch {
            throw BridgesError(error)
        }
    }

    /// Runs a store call that takes a closure (its errors untyped), turning its errors into the
    /// operation's: see `BridgesError(_:other:)`.
    static func store<T>(_ body: () async throws -> T, other: (any Error) -> BridgesError) async throws(BridgesError) -> T {
        do {
            return try await body()
        } catch {
            throw BridgesError(error, other: other)
        }
    }
}

/// Where a Bridges database is, as a front door names it, with what the front door hands every
/// operation on it (a scratch folder, the clock): Kit opens, builds, checks and copies a database
/// through this, never through a path of its own.
public struct DatabaseLocation: Sendable {
    let store: any StoreLocation
    /// Where operations on it may make private scratch folders.
    let temporaryFolder: String
    /// The time and time zone operations on it read.
    public let clock: WallClock

    /// A database a store opens (such as `SQLiteLocation`); `temporaryFolder` is where operations
    /// on it may make private scratch folders (the front door's temporary folder); `clock` is the
    /// time they read (the system's for the command line, one standing still for a test).
    package init(_ store: any StoreLocation, temporaryFolder: String, clock: WallClock) {
        self.store = store
        self.temporaryFolder = temporaryFolder
        self.clock = clock
    }

    /// How the database is named to people: the file's path, or a URL without its password.
    public var name: String { store.displayName }
}

extension Registrar {
    /// Marks this database as the demo's: when it starts, and (`complete`) when it has built
    /// all of it, so the demo may replace it later if nothing was recorded since.
    func markAsDemo(actor: String, complete: Bool = false) async throws(BridgesError) {
        try await store { () async throws(StoreError) in try await database.recordMarker(complete ? Demo.completeMarker : Demo.marker, context: WriteContext(actor: actor, at: clock.now)) }
    }

    /// Whether anything has been recorded: lesson plans, a roster, officers, sessions or certificates.
    func holdsRecords() async throws(BridgesError) -> Bool {
        try await store { () async throws(StoreError) in try await database.holdsRecords() }
    }

    /// Whether this database was built by the demo to the end and nothing was recorded in it since.
    func isUntouchedDemo() async throws(BridgesError) -> Bool {
        try await store { () async throws(StoreError) in try await database.lastEventIsMarker(Demo.completeMarker) }
    }
}

extension Registrar {
    /// A new folder only this user can enter, inside the temporary folder, for files an operation
    /// writes and reads back. The caller removes it.
    func privateScratchFolder(named tag: String, for purpose: String) throws(BridgesError) -> String {
        do {
            return try PrivateFile.makePrivateFolder(in: temporaryFolder, tag: tag)
        } catch {
            throw .io("cannot make a private folder in \(temporaryFolder) for \(purpose): \(error.reason)")
        }
    }
}
