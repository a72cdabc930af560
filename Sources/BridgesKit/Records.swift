import BridgesCore
import BridgesStore
import Foundation

/// A Bridges database and the operations people ask of it. Open one per process.
public final class Records: Sendable {
    let database: BridgesDatabase

    /// Opens the database at `path`, creating and migrating it on first use.
    public init(databasePath: String) throws(BridgesError) {
        do {
            database = try BridgesDatabase(path: databasePath)
        } catch {
            throw BridgesError(error)
        }
    }

    private init(database: BridgesDatabase) { self.database = database }

    /// Opens an existing database for reading; nil when there is none (nothing is created).
    public static func openIfPresent(databasePath: String) throws(BridgesError) -> Records? {
        do {
            return try BridgesDatabase.openExistingForReading(path: databasePath).map(Records.init(database:))
        } catch {
            throw BridgesError(error)
        }
    }

    public var databasePath: String { database.path }

    /// Runs a store call, turning its errors into the operation's.
    func store<T>(_ body: () throws(StoreError) -> T) throws(BridgesError) -> T {
        do {
            return try body()
        } catch {
            throw BridgesError(error)
        }
    }
}
