import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation
import GRDB

/// A database file opened read-only, to check it or copy it without changing it.
///
/// Why not `SQLiteStore`: that one creates a missing file and migrates on open, which is
/// right for a command that records something and wrong for `doctor` (a check must not repair
/// or upgrade what it checks) and `backup` (a copy must be of the file as it is).
package final class SQLiteInspection: Sendable {
    package let path: String
    let reader: DatabaseQueue

    /// Opens the existing database at `path` read-only; never creates it.
    package init(path: String) throws(StoreError) {
        self.path = path
        // A pipe, a device or a folder is refused before SQLite could wait on it; an empty file
        // is no database.
        if case .missing = try SQLiteStore.look(at: path) { throw .missing(path: path) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(SQLiteStore.busyTimeout)
        configuration.label = "bridges-inspection"
        do {
            reader = try DatabaseQueue(path: path, configuration: configuration)
            // Opening is lazy in SQLite: read the file now, so a file that is not a database
            // says so here rather than in the first check. A database whose pages are damaged
            // (SQLITE_CORRUPT) did open: the checks say what is wrong with it.
            do {
                try reader.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {}
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .io(path: path, why: "\(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try reader.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
    }

    /// What `PRAGMA integrity_check` says: `["ok"]` when SQLite finds no damage.
    package func integrityProblems() throws(StoreError) -> [String] {
        let lines = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(20)") }
        return lines == ["ok"] ? [] : lines
    }

    /// Rows that point at a row that does not exist (`PRAGMA foreign_key_check`), described.
    package func foreignKeyProblems() throws(StoreError) -> [String] {
        try read { db in
            try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").prefix(20).map { row in
                let table: String = row[0]
                let rowid: Int64? = row[1]
                let parent: String = row[2]
                return "a row of \(table)\(rowid.map { " (rowid \($0))" } ?? "") points at a missing \(parent)"
            }
        }
    }

    /// The migrations this program knows and the ones the file records as applied.
    package func migrationState() throws(StoreError) -> (known: [String], applied: [String]) {
        let migrator = SQLiteStore.migrator
        let applied = try read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        return (migrator.migrations, applied)
    }

    /// Ways the audit trail disagrees with the records it should explain; empty when it is
    /// whole. `now` is an ISO 8601 UTC timestamp, as events are dated.
    package func auditTrailProblems(now: String) throws(StoreError) -> [Message] {
        try read { db in
            var problems: [Message] = []
            guard try db.tableExists("auditEvent") else { return ["the audit trail's table is missing"] }
            // The third trigger came with a later migration: a database not yet brought up to date
            // lacks it without anyone having tampered (the migrations check says what is pending).
            let applied = try db.tableExists("grdb_migrations") ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
            var triggers = ["auditEvent_noUpdate", "auditEvent_noDelete"]
            if applied.contains("v2 audit trail refuses replacement") { triggers.append("auditEvent_noReplace") }
            for trigger in triggers {
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", arguments: [trigger]) != nil
                if !exists { problems.append("the trigger \(trigger) that keeps the trail append-only is missing") }
            }
            // Events are numbered 1, 2, 3 … as they are appended (no AUTOINCREMENT: a rolled-back
            // write leaves no hole), so a missing number is an event that was removed.
            if let span = try Row.fetchOne(db, sql: "SELECT count(*), min(id), max(id) FROM auditEvent"), let low: Int64 = span[1], let high: Int64 = span[2] {
                let count: Int64 = span[0]
                let missing = high - count
                if low != 1 || missing > 0 {
                    let gaps = try Int64.fetchAll(db, sql: """
                        SELECT id + 1 FROM auditEvent e WHERE id < ? AND NOT EXISTS (SELECT 1 FROM auditEvent n WHERE n.id = e.id + 1) ORDER BY id LIMIT 5
                        """, arguments: [high])
                    let first = low != 1 ? [Int64(1)] : []
                    problems.append(AuditTrailFindings.missing(missing, first: first + gaps))
                }
            }
            // Each event is dated when it is appended, so dates rise with the numbers; one dated
            // well before an earlier event was written in later, or rewritten. (A clock set back a
            // little, by a time server, is allowed a day.)
            let outOfOrder = try Int64.fetchAll(db, sql: """
                SELECT id FROM (SELECT id, at, max(at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest FROM auditEvent)
                WHERE latest IS NOT NULL AND julianday(at) < julianday(latest) - 1 ORDER BY id
                """)
            if let finding = AuditTrailFindings.outOfOrder(outOfOrder) { problems.append(finding) }
            let future = try Int.fetchOne(db, sql: "SELECT count(*) FROM auditEvent WHERE at > ?", arguments: [now]) ?? 0
            if let finding = AuditTrailFindings.future(future, now: now) { problems.append(finding) }
            if try db.tableExists("session") {
                let unlogged = try Int64.fetchAll(db, sql: """
                    SELECT id FROM session s WHERE NOT EXISTS (
                        SELECT 1 FROM auditEvent e WHERE e.entity = 'session' AND e.entityId = CAST(s.id AS TEXT) AND e.action IN ('log', 'import'))
                    ORDER BY id
                    """)
                if let finding = AuditTrailFindings.unlogged(unlogged) { problems.append(finding) }
                let voided = try Int64.fetchAll(db, sql: """
                    SELECT id FROM session s WHERE voidedAt IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM auditEvent e WHERE e.entity = 'session' AND e.entityId = CAST(s.id AS TEXT) AND e.action = 'void')
                    ORDER BY id
                    """)
                if let finding = AuditTrailFindings.voidedWithoutEvent(voided) { problems.append(finding) }
                problems += try Self.unexplainedMarks(db)
            }
            if try db.tableExists("certificate") {
                let revoked = try String.fetchAll(db, sql: """
                    SELECT code FROM certificate c WHERE revokedAt IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM auditEvent e WHERE e.entity = 'certificate' AND e.entityId = c.code AND e.action = 'revoke')
                    ORDER BY code
                    """)
                if let finding = AuditTrailFindings.revokedWithoutEvent(revoked) { problems.append(finding) }
            }
            return problems
        }
    }

    /// Sessions whose marks are not what their trail says (`MarksReplay`): one pass over the
    /// sessions' events and one over the marks grouped by session, then the amended students.
    static func unexplainedMarks(_ db: Database) throws -> [Message] {
        var replay = MarksReplay(highestSession: try Int64.fetchOne(db, sql: "SELECT max(id) FROM session") ?? 0)
        let events = try Row.fetchCursor(db, sql: """
            SELECT CAST(entityId AS INTEGER), action, field, oldValue, newValue, detail FROM auditEvent
            WHERE entity = 'session' AND action IN ('log', 'import', 'import marks', 'amend', 'purge marks') ORDER BY id
            """)
        while let row = try events.next() {
            replay.event(session: row[0], action: row[1], field: row[2], oldValue: row[3], newValue: row[4], detail: row[5])
        }
        // Grouped by session alone, the marks are read in their primary key's order: no sort.
        let marks = try Row.fetchCursor(db, sql: """
            SELECT sessionId, count(*), sum(status = 'present'), sum(status = 'late'), sum(status = 'absent'), sum(status = 'excused')
            FROM mark GROUP BY sessionId
            """)
        while let row = try marks.next() {
            replay.marks(session: row[0], total: row[1], present: row[2], late: row[3], absent: row[4], excused: row[5])
        }
        let status = try db.cachedStatement(sql: "SELECT status FROM mark WHERE sessionId = ? AND studentId = ?")
        for (session, student, wanted) in replay.amendmentsToCheck {
            replay.amendment(session: session, wanted: wanted, stored: try String.fetchOne(status, arguments: [session, student]))
        }
        return replay.problems
    }

    /// How many rows each of the main tables holds (tables not there yet count 0).
    package func counts() throws(StoreError) -> [(table: String, rows: Int)] {
        try read { db in
            // Every table a Bridges database holds (the same list on every store).
            try StoreTables.all.map(\.name).map { table in
                (table, try db.tableExists(table) ? (Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0) : 0)
            }
        }
    }

    /// Copies the database, as one consistent snapshot, to a new file at `destination`, readable
    /// and writable by its owner only. Writers carry on meanwhile (WAL): the copy is the database
    /// as of the moment the copy began. Refuses to replace anything already there.
    /// Returns the copy's size in bytes.
    ///
    /// The copy is built as a private new file under a hidden temporary name in the destination's
    /// folder (`PrivateFile`: 0600 from the first byte, never a planted file or link) and put at
    /// `destination` only when complete, by a move that refuses a taken name. On any failure (a
    /// full disk) every file it made is removed, SQLite's `-journal`, `-wal` and `-shm` included.
    package func backUp(to destination: String) throws(StoreError) -> Int64 {
        let file: PrivateFile
        do {
            // Kept open (and locked) until published: SQLite writes it by its name meanwhile.
            file = try PrivateFile(beside: destination, tag: "backup", readable: true)
        } catch {
            throw .io(path: destination, why: error.description)
        }
        do {
            var configuration = Configuration()
            configuration.label = "bridges-backup"
            let copy = try DatabaseQueue(path: file.temporaryPath, configuration: configuration)
            do {
                try reader.backup(to: copy)
                // The copy keeps the source's WAL mode; fold its WAL into the file so that the
                // copy is one self-contained file.
                try copy.writeWithoutTransaction { db in _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            } catch {
                try? copy.close()
                throw error
            }
            try copy.close()
            // On the disk before it has its name: a backup is what a power cut must not undo.
            try file.sync()
            try file.publish(replacing: false)
        } catch {
            file.discard()
            if let error = error as? PrivateFileError {
                if error.kind == .exists { throw .io(path: destination, why: "something is already there; nothing was replaced") }
                throw .io(path: destination, why: error.reason)
            }
            if let error = error as? DatabaseError {
                if error.resultCode == .SQLITE_FULL { throw .full(path: destination) }
                if error.resultCode == .SQLITE_IOERR { throw StoreError(error, path: destination) }
                throw .io(path: destination, why: error.message ?? "\(error)")
            }
            throw .io(path: destination, why: "\(error)")
        }
        return (try? SystemCall.status(of: destination))?.size ?? 0
    }
}

extension SQLiteInspection {
    /// The file holds minors' records: only its owner should read it. SQLite gives `-wal` and
    /// `-shm` the main file's permissions, so those are checked too when present.
    package func readableByOthers() -> [(file: String, mode: String)] {
        var open: [(file: String, mode: String)] = []
        for file in [path, path + "-wal", path + "-shm"] {
            guard let status = try? SystemCall.status(of: file) else { continue }
            if status.mode & 0o077 != 0 { open.append((file, String(status.mode & 0o777, radix: 8))) }
        }
        return open
    }

    package var ownerOnlyAccess: String {
        let mode = (try? SystemCall.status(of: path))?.mode ?? 0
        return "only the owner can read the file (\(String(mode & 0o777, radix: 8)))"
    }
}
