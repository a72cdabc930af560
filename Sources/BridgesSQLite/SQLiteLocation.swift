import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

extension SQLiteStore: Store {
    package var upgradedOnOpen: [String] { migratedOnOpen }
}

extension SQLiteInspection: StoreInspection {
    package var engine: String { "SQLite" }
    package var storage: String { "the file" }
}

/// A Bridges database in one SQLite file: the embedded store, and everything only a file has.
///
/// - A first load into no database builds the file beside its path and moves it there only when
///   the load succeeded (`createInBulk`), so a refused load leaves no file and a big one writes
///   each page once.
/// - A dry run with no database yet runs on a scratch file in a private temporary folder.
/// - `doctor` and `backup` open the file read-only, never creating or migrating it.
package struct SQLiteLocation: StoreLocation {
    package let path: String
    /// Where the scratch file of a dry run goes (the system's temporary folder, handed in).
    package let temporaryFolder: String

    package init(path: String, temporaryFolder: String) {
        self.path = path
        self.temporaryFolder = temporaryFolder
    }

    package var displayName: String { path }

    package func open(_ access: StoreAccess) throws(StoreError) -> any Store {
        try SQLiteStore(path: path, access: access)
    }

    package func openIfPresent(_ access: StoreAccess) throws(StoreError) -> (any Store)? {
        try SQLiteStore.openExisting(path: path, access: access)
    }

    package func createInBulk<T>(_ body: (any Store) async throws -> T) async throws -> T? {
        if FileManager.default.fileExists(atPath: path) || isDanglingLink { return nil }
        let file = NewDatabaseFile(for: path)
        file.removeLeftovers()
        let result: T
        do {
            try file.create()
            let store = try SQLiteStore(path: file.path, bulkCreation: true, shownAs: path)
            do {
                result = try await body(store)
                try store.finishBulkCreation()
                try store.close()
            } catch {
                try? store.close()
                throw error
            }
        } catch let error as StoreError {
            file.remove()
            throw error.naming(file.path, as: path)
        } catch {
            file.remove()
            throw error
        }
        switch file.moveIntoPlace() {
        case .moved:
            return result
        case .pathTaken:
            // Another command created the database meanwhile (or something else is at the
            // path): the caller opens what is there instead, which says what it is.
            file.remove()
            return nil
        case .failed(let why):
            file.remove()
            throw StoreError.io(path: path, why: "cannot create the database: \(why); nothing was stored")
        }
    }

    /// A symbolic link whose target does not exist: `open` says what it is.
    private var isDanglingLink: Bool {
        (try? SystemCall.linkStatus(of: path))?.isSymbolicLink ?? false
    }

    package func withScratchStore<T>(_ body: (any Store) async throws -> T) async throws -> T {
        let folder: String
        do {
            folder = try PrivateFile.makePrivateFolder(in: temporaryFolder, tag: "dry-run")
        } catch {
            throw StoreError.io(path: temporaryFolder, why: "cannot make a private folder there for the dry run: \(error.reason)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteStore(path: folder + "/scratch.sqlite")
        defer { try? store.close() }
        return try await body(store)
    }

    package func inspect() throws(StoreError) -> any StoreInspection {
        try SQLiteInspection(path: path)
    }

    package func discard() throws(StoreError) {
        for suffix in ["", "-wal", "-shm"] {
            do {
                try SystemCall.unlink(path + suffix)
            } catch where error.code != ENOENT {
                throw .io(path: path + suffix, why: "cannot remove it: \(error.message)")
            } catch {}
        }
    }
}

extension StoreError {
    /// The same error with the building file `path` spoken of by the name the person gave.
    func naming(_ building: String, as shown: String) -> StoreError {
        switch self {
        case .busy(let p): .busy(path: p == building ? shown : p)
        case .missing(let p): .missing(path: p == building ? shown : p)
        case .notADatabase(let p, let why): .notADatabase(path: p == building ? shown : p, why: why)
        case .io(let p, let why): .io(path: p == building ? shown : p, why: why)
        case .full(let p): .full(path: p == building ? shown : p)
        case .readOnly(let p): .readOnly(path: p == building ? shown : p)
        case .unavailable(let p, let why): .unavailable(path: p == building ? shown : p, why: why)
        case .foreign, .newerVersion, .olderVersion, .rejected: self
        }
    }
}
