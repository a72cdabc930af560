import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation
import GRDB

/// The Bridges database: one SQLite file, opened once per process, migrated on open.
///
/// Why it is set up this way:
/// - The file is created readable and writable by its owner only (0600): it holds minors' records.
///   SQLite gives its `-wal` and `-shm` files the same permissions.
/// - WAL journal, so officers can log sessions while a coordinator exports; a busy timeout, so a
///   second writer waits its turn instead of failing with "database is locked".
/// - Foreign keys on, and every write command is one transaction (`write`), so a failure leaves
///   the database as it found it.
package final class SQLiteStore: Sendable {
    /// The database as its errors name it: the path a person gave (a first load's building file
    /// is named by the path it will be moved to).
    package let path: String
    /// The file itself.
    let filePath: String
    let writer: DatabaseQueue
    /// The migrations this open applied: an earlier Bridges' database brought up to date.
    package let migratedOnOpen: [String]

    /// How long a command waits for another one's write to finish before saying "busy".
    package static let busyTimeout: TimeInterval = 15

    package typealias Access = StoreAccess

    /// Opens the database at `path` for `access`.
    ///
    /// Whatever the access, a file is looked at before SQLite opens it, and refused untouched
    /// when it is not a Bridges database: a folder, a named pipe or a device (SQLite would wait
    /// on a pipe forever), a file that is not SQLite, another program's SQLite database, or a
    /// database written by a newer Bridges (a migration this one does not know). Only then is it
    /// migrated (`write`) and switched to WAL (once: WAL is a property of the file).
    ///
    /// `bulkCreation` is for a new file that no other process can know of yet (a first
    /// `lesson load` builds the database beside its path and moves it into place at the end): it
    /// is written with a rollback journal and no syncing, so a big first load writes each page
    /// once; `finishBulkCreation` then makes it a WAL database and syncs it. Never use it on a
    /// file others may open.
    /// `shownAs` is the path errors name, when it is not `path` (the building file of a first load).
    package init(path: String, access: Access = .write, bulkCreation: Bool = false, shownAs: String? = nil) throws(StoreError) {
        self.path = shownAs ?? path
        filePath = path
        let isNew: Bool
        // Whether the file is already in WAL mode, from the header `look` reads before SQLite
        // opens the file, never after: closing any descriptor of the file in this process drops
        // the POSIX locks SQLite holds on it, and another process could then take this
        // connection's WAL for abandoned and lose what it writes.
        var wasWAL = false
        switch try Self.look(at: path) {
        case .missing:
            guard access == .write else { throw .missing(path: path) }
            try Self.createPrivateFile(path)
            isNew = true
        case .empty:
            guard access == .write else { throw .missing(path: path) }
            isNew = true
        case .sqlite(let wal):
            isNew = false
            wasWAL = wal
        }
        var configuration = Configuration()
        // The journal mode is set below, after the file is known to be a Bridges database: GRDB
        // asking for WAL on open would switch another program's file too.
        configuration.journalMode = .default
        if bulkCreation {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        }
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "bridges"
        do {
            writer = try DatabaseQueue(path: path, configuration: configuration)
            let pending = isNew ? [] : try writer.read { db in try Self.pendingMigrations(db, path: path) }
            if !pending.isEmpty && access == .read { throw StoreError.olderVersion(path: path) }
            migratedOnOpen = pending
            guard access == .write else { return }
            try Self.migrator.migrate(writer)
            if !bulkCreation && !wasWAL {
                let mode = try writer.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                guard mode?.lowercased() == "wal" else {
                    throw StoreError.io(path: path, why: "SQLite would not switch the database to WAL (it answered \(mode ?? "nothing"))")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .io(path: path, why: "\(error)")
        }
    }

    /// What is at a database path, before SQLite is let near it.
    package enum Found {
        case missing
        /// A regular file of no bytes: SQLite takes it as a new, empty database.
        case empty
        /// A regular file that starts as an SQLite database does; `wal` when its header says WAL
        /// (bytes 18 and 19 are 2).
        case sqlite(wal: Bool)
    }

    package static func look(at path: String) throws(StoreError) -> Found {
        let status: FileStatus
        do {
            status = try SystemCall.status(of: path)
        } catch {
            if error.code == ENOENT, (try? SystemCall.linkStatus(of: path)) != nil {
                throw .notADatabase(path: path, why: "it is a symbolic link to a file that does not exist; remove the link or name the database itself")
            }
            if error.code == ENOENT { return .missing }
            throw .io(path: path, why: error.message)
        }
        switch status.mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .notADatabase(path: path, why: "it is a folder; name a file such as \(path)/bridges.sqlite")
        case S_IFIFO: throw .notADatabase(path: path, why: "it is a named pipe, not a database file")
        case S_IFCHR, S_IFBLK: throw .notADatabase(path: path, why: "it is a device, not a database file")
        case S_IFSOCK: throw .notADatabase(path: path, why: "it is a socket, not a database file")
        default: throw .notADatabase(path: path, why: "it is not a regular file")
        }
        if status.size == 0 { return .empty }
        // O_NONBLOCK: the file was regular a moment ago; should it be swapped for a pipe, the
        // open still returns at once.
        let descriptor: Int32
        do {
            descriptor = try SystemCall.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        } catch {
            if error.code == EACCES { throw .readOnly(path: path) }
            throw .io(path: path, why: error.message)
        }
        defer { try? SystemCall.close(descriptor) }
        var header = [UInt8](repeating: 0, count: 20)
        let count = header.withUnsafeMutableBytes { (try? SystemCall.read(descriptor, into: $0.baseAddress!, count: 20)) ?? -1 }
        guard count == 20, header.prefix(16).elementsEqual("SQLite format 3\0".utf8) else {
            throw .notADatabase(path: path, why: "the file is damaged or is not a Bridges database (it is not an SQLite database)")
        }
        return .sqlite(wal: header[18] == 2 && header[19] == 2)
    }

    /// The migrations this program knows that the file has not had; throws when the file is not
    /// a Bridges database (another program's tables, no record of Bridges' migrations) or was
    /// written by a newer Bridges. A database without a single table is a new one.
    static func pendingMigrations(_ db: Database, path: String) throws -> [String] {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        let known = migrator.migrations
        if tables.isEmpty { return known }
        guard tables.contains("grdb_migrations") else { throw StoreError.foreign(path: path, tables: tables) }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        guard let first = known.first, applied.contains(first) else { throw StoreError.foreign(path: path, tables: tables) }
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.newerVersion(path: path, migrations: unknown) }
        return known.filter { !applied.contains($0) }
    }

    /// Ends `bulkCreation`: from here the file is a WAL database like any other, every page of it
    /// on disk.
    package func finishBulkCreation() throws(StoreError) {
        do {
            let mode = try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                return try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            guard mode?.lowercased() == "wal" else {
                throw StoreError.io(path: path, why: "SQLite would not switch the new database to WAL (it answered \(mode ?? "nothing"))")
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .io(path: path, why: "\(error)")
        }
        do {
            let descriptor = try SystemCall.openForReading(filePath)
            defer { try? SystemCall.close(descriptor) }
            try SystemCall.sync(descriptor)
        } catch {
            throw .io(path: path, why: error.message)
        }
    }

    /// Closes the connection (checkpointing and removing the WAL when no one else has it open).
    package func close() throws(StoreError) {
        do {
            try writer.close()
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .io(path: path, why: "\(error)")
        }
    }

    /// Opens an existing database, nil when there is none (nothing is created): for commands that
    /// only read, and for those that write into a database only when there is one.
    package static func openExisting(path: String, access: Access = .read) throws(StoreError) -> SQLiteStore? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try SQLiteStore(path: path, access: access)
        } catch {
            // An empty file is no database yet: nothing to read.
            if case .missing = error { return nil }
            throw error
        }
    }

    private static func createPrivateFile(_ path: String) throws(StoreError) {
        // O_EXCL | O_NOFOLLOW, 0600 from the start (`PrivateFile`); one made meanwhile by another
        // command is used as it is.
        do {
            let descriptor = try PrivateFile.createNew(path)
            try? SystemCall.close(descriptor)
        } catch {
            if error.kind == .exists { return }
            throw .io(path: path, why: error.reason)
        }
    }

    /// Runs `body` as one write transaction: all of it lands, or none of it.
    package func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(body)
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` with a consistent read of the database.
    package func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw storeError(error)
        }
    }

    /// What any failure of a transaction on this database is, said as a `StoreError`.
    func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as DatabaseError: StoreError(error, path: path)
        default: .rejected("\(error)")
        }
    }
}

extension StoreError {
    init(_ error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: self = .notADatabase(path: path, why: "the file is damaged or is not a Bridges database (\(error.message ?? "SQLite error"))")
        case .SQLITE_FULL: self = .full(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM: self = .readOnly(path: path)
        case .SQLITE_CANTOPEN: self = .io(path: path, why: "cannot open it (does the folder exist, and may you write there?)")
        case .SQLITE_IOERR:
            // A failed write (no space, or a file-size limit) says more than "disk I/O error".
            if [ResultCode.SQLITE_IOERR_WRITE, .SQLITE_IOERR_FSYNC, .SQLITE_IOERR_TRUNCATE, .SQLITE_IOERR_SHORT_READ].contains(error.extendedResultCode) {
                self = .full(path: path)
            } else {
                self = .io(path: path, why: (error.message ?? "input/output error") + "; if this was a change, nothing of it was kept")
            }
        default: self = .rejected(error.message ?? "\(error)")
        }
    }
}
