@testable import BridgesSQLite
import BridgesStore
import BridgesCore
import Foundation
import GRDB
import Testing

/// The database as a school needs it: private, migrated, append-only trail, clear failures.
@Suite("The Bridges database")
struct BridgesDatabaseTests {
    /// A fresh folder per test, removed afterwards.
    final class Folder {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesStoreTests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("is created readable and writable by its owner only, since it holds minors' records")
    func createdPrivate() throws {
        let folder = try Folder()
        let path = folder.path + "/school.sqlite"
        _ = try SQLiteStore(path: path)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
    }

    @Test("uses the WAL journal and waits for a busy writer instead of failing at once")
    func walAndBusyTimeout() throws {
        let folder = try Folder()
        let database = try SQLiteStore(path: folder.path + "/school.sqlite")
        let mode = try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let foreignKeys = try database.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == 1)
    }

    @Test("checks foreign keys again after a roster import, which turns them off for its duration")
    func foreignKeysBackOnAfterRosterImport() throws {
        let folder = try Folder()
        let database = try SQLiteStore(path: folder.path + "/school.sqlite")
        _ = try database.importRoster(source: "roster.csv", context: WriteContext(actor: "registrar", at: Date()), dryRun: false) { _ in [] }
        #expect(throws: (any Error).self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO enrollment (classId, studentId) VALUES ('8A', 'nobody')")
            }
        }
    }

    @Test("refuses to change or delete what the audit trail recorded")
    func auditTrailIsAppendOnly() throws {
        let folder = try Folder()
        let database = try SQLiteStore(path: folder.path + "/school.sqlite")
        let context = WriteContext(actor: "officer-1", at: Date())
        try database.write { db in
            try SQLiteStore.record(AuditEvent(at: context.at, actor: context.actor, action: "log", entity: "session", entityId: "1"), in: db)
        }
        #expect(throws: StoreError.self) {
            try database.write { db in try db.execute(sql: "UPDATE auditEvent SET actor = 'someone else'") }
        }
        #expect(throws: StoreError.self) {
            try database.write { db in try db.execute(sql: "DELETE FROM auditEvent") }
        }
        let trail = try database.auditTrail(entity: "session", id: "1")
        #expect(trail.map(\.actor) == ["officer-1"])
    }

    @Test("a write that fails leaves the database as it found it")
    func writesAreAllOrNothing() throws {
        let folder = try Folder()
        let database = try SQLiteStore(path: folder.path + "/school.sqlite")
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO school (id, name) VALUES ('s1', 'Lincoln')")
                try db.execute(sql: "INSERT INTO schoolClass (id, schoolId, name) VALUES ('c1', 'no-such-school', 'Grade 7')")
            }
        }
        let schools = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM school") }
        #expect(schools == 0)
    }

    @Test("a folder where the database should be is a clear error, not a crash")
    func folderIsNotADatabase() throws {
        let folder = try Folder()
        #expect {
            _ = try SQLiteStore(path: folder.path)
        } throws: { error in
            guard let error = error as? StoreError, case .notADatabase = error else { return false }
            return error.description.contains("it is a folder")
        }
    }

    @Test("a file that is not a database is a clear error, and is left as it was")
    func corruptFile() throws {
        let folder = try Folder()
        let path = folder.path + "/notes.sqlite"
        let text = String(repeating: "These are a teacher's notes, not a database.\n", count: 200)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { _ = try SQLiteStore(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("a second writer waits for the first rather than failing with 'database is locked'")
    func secondWriterWaits() async throws {
        let folder = try Folder()
        let path = folder.path + "/school.sqlite"
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        // The first holds the write lock for a moment while the second asks for it.
        async let holding: Void = Task.detached {
            try first.write { db in
                try db.execute(sql: "INSERT INTO school (id, name) VALUES ('s1', 'Lincoln')")
                Thread.sleep(forTimeInterval: 0.5)
            }
        }.value
        try await Task.sleep(for: .milliseconds(100))
        try second.write { db in try db.execute(sql: "INSERT INTO school (id, name) VALUES ('s2', 'Roosevelt')") }
        try await holding
        let count = try first.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM school") }
        #expect(count == 2)
    }
}
