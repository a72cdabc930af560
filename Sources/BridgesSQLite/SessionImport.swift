import BridgesCore
import BridgesStore
import Foundation
import GRDB
// The SQLite C API, for the statements an import runs once per row (GRDB links this same library).
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Takes the rows of one import inside its transaction. Problems are returned with the line of
/// their row; the caller turns them into `file:line:` diagnostics. They come out in line order:
/// a problem of a row taken earlier is returned before any of a later row, and `markFailed` and
/// `flush` return what earlier rows still had to say.
///
/// A million rows go through `add`, so its usual path does no SQL compilation and almost no
/// allocation: rows come grouped by session, so the previous row's session is compared first
/// (three string comparisons, no hashing), statements are prepared once and driven through the
/// SQLite C API, and message text is only built when there is something to say.
///
/// The marks of a session this import creates are written a session at a time, in one
/// multi-row `INSERT`: mark's `CHECK (status IN (…))` makes SQLite build a small temporary
/// b-tree each time an `INSERT` statement runs, which cost more than the row itself. Such a
/// batch cannot meet a stored mark (the session is new), so every row of it is added, unless it
/// names a student twice or a student who does not exist: then it is undone (it is one
/// statement) and its rows go through one at a time, as every other row does, which finds and
/// words each problem as before.
final class SQLiteSessionImportSink: SessionImportSink {
    private let db: Database
    private let context: WriteContext
    private(set) var summary = SessionImportSummary()
    private var failed = false

    private struct SessionKey: Hashable {
        var classID: String
        var lessonID: String
        var date: String
    }

    private struct KnownSession {
        var id: Int64
        var lessonVersion: Int
        var officerID: String
        var minutes: Int
        var createdHere: Bool
        var added = 0
        var firstLine: Int
        /// Whether a mark may already exist for it (stored, or given marks by an earlier batch
        /// or row): its rows then go one at a time.
        var mayHaveMarks: Bool

        var facts: SessionImportProblem.SessionFacts {
            .init(id: id, lessonVersion: lessonVersion, officerID: officerID, minutes: minutes, createdHere: createdHere, firstLine: firstLine)
        }
    }

    private struct PendingMark {
        var line: Int
        var studentID: String
        var status: AttendanceStatus
    }

    /// Every session the file touched, in the order the file first named them.
    private var known: [KnownSession] = []
    private var sessionIndex: [SessionKey: Int] = [:]
    /// The session of the previous row that named a usable one.
    private var lastKey: SessionKey?
    private var lastIndex = 0
    /// Marks waiting to be written in one statement, all of the session `pendingIndex`.
    private var pending: [PendingMark] = []
    private var pendingStudents: Set<String> = []
    private var pendingIndex = 0
    /// Multi-row inserts, by number of rows.
    private var batchInserts: [Int: DirectStatement] = [:]
    private var lessonVersions: [String: Bool] = [:]
    private var officers: [String: Bool] = [:]
    private var classes: [String: Bool] = [:]
    private let insertMark: DirectStatement
    private let existingMark: DirectStatement
    private let storedSession: DirectStatement
    private let insertSession: DirectStatement

    /// The most marks one statement writes (3 parameters each, far below SQLite's limit).
    private static let batchLimit = 200

    init(db: Database, context: WriteContext) throws {
        self.db = db
        self.context = context
        insertMark = try DirectStatement(db, "INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?) ON CONFLICT (sessionId, studentId) DO NOTHING")
        existingMark = try DirectStatement(db, "SELECT status FROM mark WHERE sessionId = ? AND studentId = ?")
        storedSession = try DirectStatement(db, """
            SELECT id, lessonVersion, officerId, minutes FROM session WHERE classId = ? AND lessonId = ? AND date = ? AND voidedAt IS NULL
            """)
        insertSession = try DirectStatement(db, """
            INSERT INTO session (classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        pending.reserveCapacity(Self.batchLimit)
    }

    /// Takes one row; returns what is wrong with it, if anything (then nothing will be kept),
    /// after anything still to say about earlier rows.
    package func add(_ row: ImportedMark) throws -> [SessionImportProblem] {
        summary.rows += 1
        let index: Int
        if let lastKey, lastKey.date == row.date, lastKey.classID == row.classID, lastKey.lessonID == row.lessonID {
            index = lastIndex
        } else {
            var earlier = try flush()
            let key = SessionKey(classID: row.classID, lessonID: row.lessonID, date: row.date)
            if let found = sessionIndex[key] {
                index = found
            } else {
                let problems = SessionImportProblem.unknownParts(
                    of: row,
                    lessonVersion: try exists(&lessonVersions, "\(row.lessonID)\u{0}\(row.lessonVersion)", sql: "SELECT 1 FROM lessonVersion WHERE lessonId = ? AND version = ?", [row.lessonID, row.lessonVersion]),
                    schoolClass: try exists(&classes, row.classID, sql: "SELECT 1 FROM schoolClass WHERE id = ?", [row.classID]),
                    officer: try exists(&officers, row.officerID, sql: "SELECT 1 FROM officer WHERE id = ?", [row.officerID]))
                if !problems.isEmpty {
                    failed = true
                    return earlier + problems
                }
                storedSession.bind(1, row.classID)
                storedSession.bind(2, row.lessonID)
                storedSession.bind(3, row.date)
                if try storedSession.step() {
                    let stored = KnownSession(id: storedSession.int64(0), lessonVersion: Int(storedSession.int64(1)), officerID: storedSession.text(2),
                                              minutes: Int(storedSession.int64(3)), createdHere: false, firstLine: row.line, mayHaveMarks: true)
                    storedSession.reset()
                    known.append(stored)
                    summary.sessionsExtended += 1
                } else {
                    insertSession.bind(1, row.classID)
                    insertSession.bind(2, row.lessonID)
                    insertSession.bind(3, Int64(row.lessonVersion))
                    insertSession.bind(4, row.officerID)
                    insertSession.bind(5, row.date)
                    insertSession.bind(6, Int64(row.minutes))
                    insertSession.bind(7, row.recordedAt ?? context.at)
                    insertSession.bind(8, row.recordedBy ?? context.actor)
                    try insertSession.run()
                    known.append(KnownSession(id: db.lastInsertedRowID, lessonVersion: row.lessonVersion, officerID: row.officerID, minutes: row.minutes,
                                              createdHere: true, firstLine: row.line, mayHaveMarks: false))
                    summary.sessionsCreated += 1
                }
                index = known.count - 1
                sessionIndex[key] = index
            }
            lastKey = key
            lastIndex = index
            if !earlier.isEmpty {
                earlier += try mark(row, session: index)
                return earlier
            }
        }
        return try mark(row, session: index)
    }

    /// The mark of a row whose session is known: checked against the session, then queued for a
    /// batch or written at once.
    private func mark(_ row: ImportedMark, session index: Int) throws -> [SessionImportProblem] {
        let session = known[index]
        let contradictions = SessionImportProblem.contradictions(of: row, with: session.facts)
        if !contradictions.isEmpty {
            var problems = try flush()
            problems += contradictions
            failed = true
            return problems
        }
        if !session.mayHaveMarks && (pending.isEmpty || pendingIndex == index) && !pendingStudents.contains(row.studentID) {
            if pending.isEmpty { pendingIndex = index }
            pending.append(PendingMark(line: row.line, studentID: row.studentID, status: row.status))
            pendingStudents.insert(row.studentID)
            return pending.count == Self.batchLimit ? try flush() : []
        }
        var problems = try flush()
        if let problem = try markOneAtATime(line: row.line, studentID: row.studentID, status: row.status, session: index) {
            problems.append(problem)
        }
        return problems
    }

    /// Writes the queued marks; returns the problems of their rows, if any.
    package func flush() throws -> [SessionImportProblem] {
        guard !pending.isEmpty else { return [] }
        let index = pendingIndex
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingStudents.removeAll(keepingCapacity: true)
        known[index].mayHaveMarks = true
        let insert: DirectStatement
        if let prepared = batchInserts[batch.count] {
            insert = prepared
        } else {
            insert = try DirectStatement(db, "INSERT INTO mark (sessionId, studentId, status) VALUES "
                + repeatElement("(?, ?, ?)", count: batch.count).joined(separator: ", "))
            batchInserts[batch.count] = insert
        }
        let sessionID = known[index].id
        var parameter: Int32 = 1
        for mark in batch {
            insert.bind(parameter, sessionID)
            insert.bind(parameter + 1, mark.studentID)
            insert.bind(parameter + 2, mark.status.rawValue)
            parameter += 3
        }
        do {
            try insert.run()
            summary.marksAdded += batch.count
            known[index].added += batch.count
            return []
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            // A student who does not exist: the statement wrote nothing; find them row by row.
            var problems: [SessionImportProblem] = []
            for mark in batch {
                if let problem = try markOneAtATime(line: mark.line, studentID: mark.studentID, status: mark.status, session: index) {
                    problems.append(problem)
                }
            }
            return problems
        }
    }

    /// Writes one mark, or says why not: an unknown student, or a status that contradicts the
    /// stored one (stored before, or by an earlier row).
    private func markOneAtATime(line: Int, studentID: String, status: AttendanceStatus, session index: Int) throws -> SessionImportProblem? {
        let session = known[index]
        known[index].mayHaveMarks = true
        existingMark.bind(1, session.id)
        existingMark.bind(2, studentID)
        let stored: String? = try existingMark.step() ? existingMark.text(0) : nil
        existingMark.reset()
        if let stored {
            if stored != status.rawValue {
                failed = true
                return .statusConflict(line: line, studentID: studentID, status: status, stored: stored, session: session.facts)
            }
            summary.marksUnchanged += 1
            return nil
        }
        insertMark.bind(1, session.id)
        insertMark.bind(2, studentID)
        insertMark.bind(3, status.rawValue)
        do {
            try insertMark.run()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            failed = true
            return .unknownStudent(line: line, studentID: studentID)
        }
        summary.marksAdded += 1
        known[index].added += 1
        return nil
    }

    /// Whether `id` names a row, asking the database once per id.
    private func exists(_ cache: inout [String: Bool], _ id: String, sql: String, _ arguments: StatementArguments) throws -> Bool {
        if let known = cache[id] { return known }
        let found = try Bool.fetchOne(db, sql: sql, arguments: arguments) != nil
        cache[id] = found
        return found
    }

    /// Records the import in each touched session's audit trail, in the order the file named them:
    /// the rows `SQLiteStore.appendAuditEvent` would write, chained the same way, but with the
    /// trail's last event read once and one prepared statement driven through the C API (a district's
    /// import writes twenty thousand events, on the thread that also stores the marks).
    fileprivate func finish(source: String) throws {
        let touched = known.filter { $0.added > 0 }
        guard !touched.isEmpty else { return }
        let last = try Row.fetchOne(db, sql: "SELECT id, chainHash FROM auditEvent ORDER BY id DESC LIMIT 1")
        var id: Int64 = last?[0] as Int64? ?? 0
        var previous: String = last?[1] ?? AuditChain.genesis
        let insert = try DirectStatement(db, """
            INSERT INTO auditEvent (id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, chainHash)
            VALUES (?, ?, ?, ?, 'session', ?, NULL, NULL, NULL, NULL, ?, ?)
            """)
        for session in touched {
            id += 1
            let action = session.createdHere ? "import" : "import marks"
            let entityId = String(session.id)
            let detail = "\(session.added) mark\(session.added == 1 ? "" : "s") from \(source)"
            let hash = AuditChain.hash(
                previous: previous, id: id, at: context.at, actor: context.actor, action: action, entity: "session", entityId: entityId,
                field: nil, oldValue: nil, newValue: nil, reason: nil, detail: detail)
            insert.bind(1, id)
            insert.bind(2, context.at)
            insert.bind(3, context.actor)
            insert.bind(4, action)
            insert.bind(5, entityId)
            insert.bind(6, detail)
            insert.bind(7, hash)
            try insert.run()
            previous = hash
        }
    }

    var hasFailed: Bool { failed }

    /// The sessions this import created that leave students enrolled in their class without a
    /// mark (a file from another system may list only those present), in the order the file
    /// named them. History may predate today's roster, so this is said, not refused. One
    /// indexed look-up per enrolled student of each new session.
    package func partlyMarkedSessions() throws -> [PartlyMarkedSession] {
        let created = sessionIndex.filter { known[$0.value].createdHere }.sorted { known[$0.value].firstLine < known[$1.value].firstLine }
        guard !created.isEmpty else { return [] }
        let unmarked = try DirectStatement(db, """
            SELECT e.studentId FROM enrollment e
            WHERE e.classId = ? AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.sessionId = ? AND m.studentId = e.studentId)
            ORDER BY e.studentId
            """)
        var found: [PartlyMarkedSession] = []
        for (key, index) in created {
            let session = known[index]
            unmarked.bind(1, key.classID)
            unmarked.bind(2, session.id)
            var students: [String] = []
            var count = 0
            while try unmarked.step() {
                count += 1
                if students.count < PartlyMarkedSession.listed { students.append(unmarked.text(0)) }
            }
            unmarked.reset()
            if count > 0 {
                found.append(PartlyMarkedSession(line: session.firstLine, classID: key.classID, lessonID: key.lessonID, date: key.date,
                                                 unmarked: students, unmarkedCount: count))
            }
        }
        return found
    }

    /// A row the caller found wrong before handing it over: nothing may be kept. Returns what is
    /// still to say about earlier rows.
    package func markFailed() throws -> [SessionImportProblem] {
        summary.rows += 1
        failed = true
        return try flush()
    }
}

extension SQLiteStore {
    /// Runs an import as one transaction. `feed` gives the sink every row; if any row had a
    /// problem, or `dryRun`, everything is rolled back. A foreign key the sink did not foresee
    /// (a student who does not exist) fails the statement, and is reported for its row.
    package func importSessions(source: String, context: WriteContext, dryRun: Bool = false,
                                feed: (any SessionImportSink) throws -> Void) throws(StoreError) -> (summary: SessionImportSummary, failed: Bool, partlyMarked: [PartlyMarkedSession]) {
        var result = SessionImportSummary()
        var failed = false
        var partlyMarked: [PartlyMarkedSession] = []
        do {
            try writer.writeWithoutTransaction { db in
                // A million marks touch every page of mark's student index in random order; with
                // SQLite's default 2 MB page cache most of them would be written out to the WAL
                // and read back several times before the commit.
                try db.withPageCache(kib: Self.bulkWriteCacheKiB) {
                  try db.inTransaction {
                    let sink = try SQLiteSessionImportSink(db: db, context: context)
                    try feed(sink)
                    // The feed flushes after its last row, to hear about every row; a feed that did
                    // not still gets its marks written, or the import refused (without messages).
                    _ = try sink.flush()
                    result = sink.summary
                    failed = sink.hasFailed
                    if failed { throw ImportRollBack() }
                    partlyMarked = try sink.partlyMarkedSessions()
                    if dryRun { throw ImportRollBack() }
                    try sink.finish(source: source)
                    return .commit
                  }
                }
            }
        } catch is ImportRollBack {
        } catch is ImportStopped {
            return (result, true, [])
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .rejected("\(error)")
        }
        return (result, failed, partlyMarked)
    }

    private struct ImportRollBack: Error {}

    /// The page cache a write of many rows may fill, in KiB (SQLite's default is 2,000): memory
    /// is only taken as pages are used, and given back when the connection closes.
    static let bulkWriteCacheKiB = 256 * 1024

    /// Runs `body` as one write transaction, exactly as `write` does, with SQLite's page cache
    /// raised to `bulkWriteCacheKiB` for it and set back after the commit (or roll-back): for the
    /// commands that write thousands of rows into indexes in no useful order.
    func writeWithLargeCache<T>(kib: Int = bulkWriteCacheKiB, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                try db.withPageCache(kib: kib) {
                    var result: T?
                    try db.inTransaction {
                        result = try body(db)
                        return .commit
                    }
                    return result!
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
    }
}

extension Database {
    /// Runs `body` with SQLite's page cache at least `kib` KiB, then sets it back. Call it outside
    /// a transaction: a cache made smaller while a transaction holds many changed pages would
    /// have to write them out before the commit.
    func withPageCache<T>(kib: Int, _ body: () throws -> T) throws -> T {
        let previous = try Int.fetchOne(self, sql: "PRAGMA cache_size") ?? -2000
        if previous > -kib { try execute(sql: "PRAGMA cache_size = -\(kib)") }
        defer { try? execute(sql: "PRAGMA cache_size = \(previous)") }
        return try body()
    }
}

