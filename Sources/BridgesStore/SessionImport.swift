import BridgesCore
import Foundation
import GRDB

/// One row of an attendance file, as `session import` reads it.
package struct ImportedMark: Sendable {
    package var line: Int
    package var date: String
    package var lessonID: String
    package var lessonVersion: Int
    package var classID: String
    package var officerID: String
    package var minutes: Int
    package var studentID: String
    package var status: AttendanceStatus
    package var recordedAt: String?
    package var recordedBy: String?

    package init(line: Int, date: String, lessonID: String, lessonVersion: Int, classID: String, officerID: String, minutes: Int,
                 studentID: String, status: AttendanceStatus, recordedAt: String?, recordedBy: String?) {
        self.line = line
        self.date = date
        self.lessonID = lessonID
        self.lessonVersion = lessonVersion
        self.classID = classID
        self.officerID = officerID
        self.minutes = minutes
        self.studentID = studentID
        self.status = status
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}

/// What an import did (or, refused, would have done).
package struct SessionImportSummary: Sendable {
    package var rows = 0
    package var sessionsCreated = 0
    package var sessionsExtended = 0
    package var marksAdded = 0
    package var marksUnchanged = 0
}

/// Takes the rows of one import inside its transaction. Problems are returned as messages for
/// the row's line; the caller turns them into `file:line:` diagnostics.
package final class SessionImportSink {
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
    }

    private var sessions: [SessionKey: KnownSession] = [:]
    private var lessonVersions: [String: Bool] = [:]
    private var officers: [String: Bool] = [:]
    private var classes: [String: Bool] = [:]
    private let insertMark: Statement
    private let existingMark: Statement
    private let studentExists: Statement

    init(db: Database, context: WriteContext) throws {
        self.db = db
        self.context = context
        insertMark = try db.makeStatement(sql: "INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?) ON CONFLICT (sessionId, studentId) DO NOTHING")
        existingMark = try db.makeStatement(sql: "SELECT status FROM mark WHERE sessionId = ? AND studentId = ?")
        studentExists = try db.makeStatement(sql: "SELECT 1 FROM student WHERE id = ?")
    }

    /// Takes one row; returns what is wrong with it, if anything (then nothing will be kept).
    package func add(_ row: ImportedMark) throws -> [String] {
        summary.rows += 1
        let key = SessionKey(classID: row.classID, lessonID: row.lessonID, date: row.date)
        var session: KnownSession
        if let known = sessions[key] {
            session = known
        } else {
            var problems: [String] = []
            if !(try exists(&lessonVersions, "\(row.lessonID)\u{0}\(row.lessonVersion)", sql: "SELECT 1 FROM lessonVersion WHERE lessonId = ? AND version = ?", [row.lessonID, row.lessonVersion])) {
                problems.append("lesson \(row.lessonID) version \(row.lessonVersion) is not stored; load that version of the lesson first")
            }
            if !(try exists(&classes, row.classID, sql: "SELECT 1 FROM schoolClass WHERE id = ?", [row.classID])) {
                problems.append("class \(row.classID) is not in the roster; import the roster first")
            }
            if !(try exists(&officers, row.officerID, sql: "SELECT 1 FROM officer WHERE id = ?", [row.officerID])) {
                problems.append("officer \(row.officerID) is not known; add them with bridges officer add \(row.officerID) --name …")
            }
            if !problems.isEmpty {
                failed = true
                return problems
            }
            if let stored = try Row.fetchOne(db, sql: """
                SELECT id, lessonVersion, officerId, minutes FROM session WHERE classId = ? AND lessonId = ? AND date = ? AND voidedAt IS NULL
                """, arguments: [row.classID, row.lessonID, row.date]) {
                session = KnownSession(id: stored[0], lessonVersion: stored[1], officerID: stored[2], minutes: stored[3], createdHere: false, firstLine: row.line)
                summary.sessionsExtended += 1
            } else {
                try db.execute(sql: """
                    INSERT INTO session (classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [row.classID, row.lessonID, row.lessonVersion, row.officerID, row.date, row.minutes,
                                     row.recordedAt ?? context.at, row.recordedBy ?? context.actor])
                session = KnownSession(id: db.lastInsertedRowID, lessonVersion: row.lessonVersion, officerID: row.officerID, minutes: row.minutes, createdHere: true, firstLine: row.line)
                summary.sessionsCreated += 1
            }
        }

        var problems: [String] = []
        let origin = session.createdHere ? "line \(session.firstLine) of this file" : "stored session \(session.id)"
        if row.lessonVersion != session.lessonVersion {
            problems.append("lesson_version \(row.lessonVersion) contradicts version \(session.lessonVersion) of \(origin) (class \(row.classID), lesson \(row.lessonID), \(row.date))")
        }
        if row.officerID != session.officerID {
            problems.append("officer_id \(row.officerID) contradicts officer \(session.officerID) of \(origin)")
        }
        if row.minutes != session.minutes {
            problems.append("minutes \(row.minutes) contradicts \(session.minutes) minutes of \(origin)")
        }
        if problems.isEmpty {
            do {
                try insertMark.execute(arguments: [session.id, row.studentID, row.status.rawValue])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
                sessions[key] = session
                failed = true
                return ["student \(row.studentID) is not in the roster; import the roster first"]
            }
            if db.changesCount == 1 {
                summary.marksAdded += 1
                session.added += 1
            } else if let stored = try String.fetchOne(existingMark, arguments: [session.id, row.studentID]), stored != row.status.rawValue {
                let where_ = session.createdHere ? "an earlier row of this file" : "stored session \(session.id) (or an earlier row of this file)"
                problems.append("student \(row.studentID) is \(row.status) here but \(stored) in \(where_); a student has one status per session")
            } else {
                summary.marksUnchanged += 1
            }
        }
        sessions[key] = session
        if !problems.isEmpty { failed = true }
        return problems
    }

    /// Whether `id` names a row, asking the database once per id.
    private func exists(_ cache: inout [String: Bool], _ id: String, sql: String, _ arguments: StatementArguments) throws -> Bool {
        if let known = cache[id] { return known }
        let found = try Bool.fetchOne(db, sql: sql, arguments: arguments) != nil
        cache[id] = found
        return found
    }

    /// Records the import in each touched session's audit trail.
    fileprivate func finish(source: String) throws {
        for (_, session) in sessions where session.added > 0 {
            try BridgesDatabase.record(AuditEvent(
                at: context.at, actor: context.actor, action: session.createdHere ? "import" : "import marks", entity: "session", entityId: String(session.id),
                detail: "\(session.added) mark\(session.added == 1 ? "" : "s") from \(source)"), in: db)
        }
    }

    var hasFailed: Bool { failed }

    /// A row the caller found wrong before handing it over: nothing may be kept.
    package func markFailed() {
        summary.rows += 1
        failed = true
    }
}

extension BridgesDatabase {
    /// Runs an import as one transaction. `feed` gives the sink every row; if any row had a
    /// problem, or `dryRun`, everything is rolled back. A foreign key the sink did not foresee
    /// (a student who does not exist) fails the statement, and is reported for its row.
    package func importSessions(source: String, context: WriteContext, dryRun: Bool = false,
                                feed: (SessionImportSink) throws -> Void) throws(StoreError) -> (summary: SessionImportSummary, failed: Bool) {
        var result = SessionImportSummary()
        var failed = false
        do {
            try writer.write { db in
                let sink = try SessionImportSink(db: db, context: context)
                try feed(sink)
                result = sink.summary
                failed = sink.hasFailed
                if failed || dryRun { throw ImportRollBack() }
                try sink.finish(source: source)
            }
        } catch is ImportRollBack {
        } catch is ImportStopped {
            return (result, true)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .rejected("\(error)")
        }
        return (result, failed)
    }

    private struct ImportRollBack: Error {}
}

/// Thrown by an import's feed to stop early (an empty file, a bad header, unreadable CSV): what
/// was taken is rolled back, and the feed has said why.
package struct ImportStopped: Error {
    package init() {}
}
