import BridgesCore
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
package final class BridgesDatabase: Sendable {
    package let path: String
    let writer: DatabaseQueue

    /// How long a command waits for another one's write to finish before saying "busy".
    package static let busyTimeout: TimeInterval = 15

    /// Opens (creating and migrating if needed) the database at `path`.
    ///
    /// `bulkCreation` is for a new file that no other process can know of yet (a first
    /// `lesson load` builds the database beside its path and moves it into place at the end): it
    /// is written with a rollback journal and no syncing, so a big first load writes each page
    /// once; `finishBulkCreation` then makes it a WAL database and syncs it. Never use it on a
    /// file others may open.
    package init(path: String, createIfMissing: Bool = true, bulkCreation: Bool = false) throws(StoreError) {
        self.path = path
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists && isFolder.boolValue {
            throw .notADatabase(path: path, why: "it is a folder; name a file such as \(path)/bridges.sqlite")
        }
        if !exists {
            guard createIfMissing else { throw .missing(path: path) }
            try Self.createPrivateFile(path)
        }
        var configuration = Configuration()
        // WAL is a property of the file. Asking for it again on every open makes GRDB create and
        // drop a table, so even `roster list` would change the file; once set, leave it be.
        configuration.journalMode = Self.isAlreadyWAL(path) || bulkCreation ? .default : .wal
        if bulkCreation {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        }
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "bridges"
        do {
            writer = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(writer)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .io(path: path, why: "\(error)")
        }
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, why: String(cString: strerror(errno))) }
        defer { Foundation.close(descriptor) }
        if fsync(descriptor) != 0 { throw .io(path: path, why: String(cString: strerror(errno))) }
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

    /// Opens an existing database without creating or migrating it, for commands that only read
    /// (`lesson validate` checks versions against it when there is one).
    package static func openExistingForReading(path: String) throws(StoreError) -> BridgesDatabase? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try BridgesDatabase(path: path, createIfMissing: false)
    }

    /// Whether the file's header says it is in WAL mode (bytes 18 and 19 are 2).
    private static func isAlreadyWAL(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return false }
        return header[header.startIndex + 18] == 2 && header[header.startIndex + 19] == 2
    }

    private static func createPrivateFile(_ path: String) throws(StoreError) {
        // O_EXCL | O_NOFOLLOW, 0600 from the start (`PrivateFile`); one made meanwhile by another
        // command is used as it is.
        do {
            Foundation.close(try PrivateFile.createNew(path))
        } catch {
            if error.kind == .exists { return }
            throw .io(path: path, why: error.reason)
        }
    }

    /// Runs `body` as one write transaction: all of it lands, or none of it.
    package func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
    }

    /// Runs `body` with a consistent read of the database.
    package func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
    }
}

/// What can go wrong with the database, said so that a school's IT person knows what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// Another process held the database for longer than the busy timeout.
    case busy(path: String)
    case missing(path: String)
    case notADatabase(path: String, why: String)
    case io(path: String, why: String)
    case full(path: String)
    case readOnly(path: String)
    /// A write refused by the rules of the data (a constraint, a domain check in a transaction).
    case rejected(String)

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

    public var description: String {
        switch self {
        case .busy(let path): "the database \(path) is busy with another command; try again in a moment"
        case .missing(let path): "there is no database at \(path)"
        case .notADatabase(let path, let why): "\(path) cannot be used as the database: \(why)"
        case .io(let path, let why): "cannot use the database \(path): \(why)"
        case .full(let path): "could not write to \(path): the disk is full or a file-size limit was reached; nothing was written. Free some space and try again"
        case .readOnly(let path): "the database \(path) is read-only for you; nothing was written"
        case .rejected(let why): "the database refused the change: \(why); nothing was written"
        }
    }
}
