import BridgesCore
import BridgesStore
import Foundation
import GRDB

/// A refusal thrown inside a write transaction so that it rolls back (see `writeOrRefuse`).
struct Refused: Error {
    let refusal: SessionRefusal
    init(_ refusal: SessionRefusal) { self.refusal = refusal }
}

extension SQLiteStore {
    /// Runs `body` as one write transaction that a `Refused` error rolls back whole, returned as
    /// the refusal: for an operation that changes several things and may be refused part way.
    func writeOrRefuse<T>(_ body: (Database) throws -> T) throws(StoreError) -> Result<T, SessionRefusal> {
        do {
            return .success(try writer.write(body))
        } catch let refused as Refused {
            return .failure(refused.refusal)
        } catch {
            throw storeError(error)
        }
    }
}

extension SQLiteStore {
    /// Logs one session and every enrolled student's status, in one transaction; or refuses
    /// with the reason and writes nothing.
    package func logSession(_ request: SessionRequest, context: WriteContext) throws(StoreError) -> Result<LoggedSession, SessionRefusal> {
        try write { db -> Result<LoggedSession, SessionRefusal> in try Self.logSession(request, context: context, in: db) }
    }

    /// `logSession` inside a transaction the caller runs (the API's idempotent logging).
    static func logSession(_ request: SessionRequest, context: WriteContext, in db: Database) throws -> Result<LoggedSession, SessionRefusal> {
        do {
            guard let lesson = try Row.fetchOne(db, sql: """
                SELECT l.latestVersion, v.minutes FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion WHERE l.id = ?
                """, arguments: [request.lessonID]) else { return .failure(.unknownLesson(request.lessonID)) }
            let version: Int = lesson[0]
            let plannedMinutes: Int = lesson[1]
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM schoolClass WHERE id = ?", arguments: [request.classID]) != nil else {
                return .failure(.unknownClass(request.classID))
            }
            guard let officer = try Row.fetchOne(db, sql: "SELECT certifiedUntil FROM officer WHERE id = ?", arguments: [request.officerID]) else {
                return .failure(.unknownOfficer(request.officerID))
            }
            if let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM session WHERE classId = ? AND lessonId = ? AND date = ? AND voidedAt IS NULL
                """, arguments: [request.classID, request.lessonID, request.date]) {
                return .failure(.duplicate(existing: existing))
            }
            let enrolled = Set(try String.fetchAll(db, sql: "SELECT studentId FROM enrollment WHERE classId = ?", arguments: [request.classID]))
            let statuses: [String: AttendanceStatus]
            switch AttendanceSheet.resolve(enrolled: enrolled, named: request.named, others: request.others) {
            case .success(let resolved): statuses = resolved
            case .failure(var problems):
                // The officer knows the students by name: say who each forgotten id is.
                for (index, problem) in problems.problems.enumerated() {
                    guard case .unnamed(let ids, _) = problem else { continue }
                    var names: [String: String] = [:]
                    let lookup = try db.cachedStatement(sql: "SELECT givenName, familyName FROM student WHERE id = ?")
                    for id in ids.prefix(20) {
                        if let row = try Row.fetchOne(lookup, arguments: [id]) {
                            names[id] = "\(row[0] as String) \(row[1] as String)"
                        }
                    }
                    problems.problems[index] = .unnamed(ids, names: names)
                }
                return .failure(.attendance(problems))
            }
            let minutes = request.minutes ?? plannedMinutes
            try db.execute(sql: """
                INSERT INTO session (classId, lessonId, lessonVersion, officerId, date, minutes, note, recordedAt, recordedBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.classID, request.lessonID, version, request.officerID, request.date, minutes, request.note, context.at, context.actor])
            let id = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: "INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?)")
            var counts: [AttendanceStatus: Int] = [:]
            for student in statuses.keys.sorted() {
                let status = statuses[student]!
                try insert.execute(arguments: [id, student, status.rawValue])
                counts[status, default: 0] += 1
            }
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "log", entity: "session", entityId: String(id),
                detail: "lesson \(request.lessonID) v\(version), class \(request.classID), officer \(request.officerID), \(request.date), \(minutes) min; "
                    + AttendanceStatus.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")), in: db)
            return .success(LoggedSession(
                id: id, lessonVersion: version, minutes: minutes, counts: counts, officerCertifiedUntil: officer[0],
                programFirstLoaded: try Self.programFirstLoaded(lesson: request.lessonID, in: db),
                gradesOutsideLesson: try Self.gradesOutsideLesson(lesson: request.lessonID, version: version, classID: request.classID, in: db)))
        }
    }

    /// When the lesson's program was first loaded here: a session taught before it is possible
    /// (from an earlier copy of the lesson) but worth a second look at the date.
    static func programFirstLoaded(lesson: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT substr(min(pv.loadedAt), 1, 10) FROM lesson l JOIN programVersion pv ON pv.programId = l.programId WHERE l.id = ?
            """, arguments: [lesson])
    }

    /// The grades of the class's students that the lesson (or, without grades of its own, its
    /// program) is not written for. One pass over the class's enrolment.
    static func gradesOutsideLesson(lesson: String, version: Int, classID: String, in db: Database) throws -> GradeBandMismatch? {
        guard let band = try Row.fetchOne(db, sql: """
            SELECT coalesce(json_extract(v.content, '$.grades.min'), json_extract(pv.content, '$.grades.min')),
                   coalesce(json_extract(v.content, '$.grades.max'), json_extract(pv.content, '$.grades.max'))
            FROM lessonVersion v JOIN lesson l ON l.id = v.lessonId
            JOIN program p ON p.id = l.programId JOIN programVersion pv ON pv.programId = p.id AND pv.version = p.latestVersion
            WHERE v.lessonId = ? AND v.version = ?
            """, arguments: [lesson, version]),
            let low: Int = band[0], let high: Int = band[1],
            let min = Grade(number: low), let max = Grade(number: high) else { return nil }
        var outside: [Grade: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT st.grade, count(*) FROM enrollment e JOIN student st ON st.id = e.studentId
            WHERE e.classId = ? AND (st.grade < ? OR st.grade > ?) GROUP BY st.grade
            """, arguments: [classID, low, high]) {
            if let grade = Grade(number: row[0]) { outside[grade] = row[1] }
        }
        return outside.isEmpty ? nil : GradeBandMismatch(lessonGrades: GradeRange(min: min, max: max), studentsByGrade: outside)
    }

    package func sessions(_ filter: SessionFilter) throws(StoreError) -> [SessionInfo] {
        try read { db in
            try Row.fetchAll(db, sql: Self.summarySQL + """
                WHERE (?1 IS NULL OR s.classId = ?1) AND (?2 IS NULL OR l.programId = ?2)
                  AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
                GROUP BY s.id ORDER BY s.date, s.id
                """, arguments: [filter.classID, filter.programID, filter.from, filter.to]).map(Self.summary)
        }
    }

    package func session(id: Int64) throws(StoreError) -> SessionInfo? {
        try read { db in
            try Row.fetchOne(db, sql: Self.summarySQL + " WHERE s.id = ? GROUP BY s.id", arguments: [id]).map(Self.summary)
        }
    }

    private static let summarySQL = """
        SELECT s.id, s.date, l.programId, s.lessonId, s.lessonVersion, v.title, c.schoolId, s.classId, s.officerId, o.name,
               s.minutes, s.note, s.recordedAt, s.recordedBy, s.voidedAt, s.voidedBy, s.voidReason,
               sum(m.status = 'present'), sum(m.status = 'late'), sum(m.status = 'absent'), sum(m.status = 'excused')
        FROM session s
        JOIN lesson l ON l.id = s.lessonId
        JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion
        JOIN schoolClass c ON c.id = s.classId
        JOIN officer o ON o.id = s.officerId
        LEFT JOIN mark m ON m.sessionId = s.id

        """

    private static func summary(_ row: Row) -> SessionInfo {
        var counts: [AttendanceStatus: Int] = [:]
        for (offset, status) in AttendanceStatus.allCases.enumerated() { counts[status] = row[17 + offset] ?? 0 }
        return SessionInfo(
            id: row[0], date: row[1], programID: row[2], lessonID: row[3], lessonVersion: row[4], lessonTitle: row[5],
            schoolID: row[6], classID: row[7], officerID: row[8], officerName: row[9], minutes: row[10], note: row[11],
            recordedAt: row[12], recordedBy: row[13], voidedAt: row[14], voidedBy: row[15], voidReason: row[16], counts: counts)
    }

    /// Every student's status in a session, with their quiz attempts there.
    package func marks(session id: Int64) throws(StoreError) -> [SessionMark] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.studentId, st.familyName, st.givenName, st.gradeCode, m.status,
                       (SELECT count(*) FROM quizAttempt q WHERE q.sessionId = m.sessionId AND q.studentId = m.studentId AND q.voidedAt IS NULL),
                       b.earned, b.possible, b.passed
                FROM mark m JOIN student st ON st.id = m.studentId
                LEFT JOIN quizAttempt b ON b.id = (
                    SELECT q.id FROM quizAttempt q WHERE q.sessionId = m.sessionId AND q.studentId = m.studentId AND q.voidedAt IS NULL
                    ORDER BY q.earned * 1.0 / q.possible DESC, q.attempt LIMIT 1)
                WHERE m.sessionId = ?
                ORDER BY st.familyName, st.givenName, m.studentId
                """, arguments: [id]).map { row in
                SessionMark(studentID: row[0], familyName: row[1], givenName: row[2], grade: row[3],
                            status: AttendanceStatus(rawValue: row[4]) ?? .absent, attempts: row[5],
                            bestEarned: row[6], bestPossible: row[7], bestPassed: row[8])
            }
        }
    }

    /// Corrects what a session records: its date, officer, minutes or lesson version, and one
    /// student's status, in one transaction, each change its own audit event with the reason.
    /// The rules of a new log still hold: one session of a lesson per class and day, a known
    /// officer and version, quiz attempts only for students who attended, and only against the
    /// version they were marked with. Returns the changes made (none when all already held).
    package func amendSession(_ id: Int64, _ amendment: SessionAmendment, reason: String, context: WriteContext) throws(StoreError) -> Result<[SessionChange], SessionRefusal> {
        // A refusal met after an earlier field changed must undo that change too: refusals are
        // thrown inside the transaction, so it rolls back, and returned as a value outside.
        try writeOrRefuse { db throws -> [SessionChange] in
            guard let session = try Row.fetchOne(db, sql: """
                SELECT classId, lessonId, lessonVersion, officerId, date, minutes, voidedAt, voidReason FROM session WHERE id = ?
                """, arguments: [id]) else {
                throw Refused(.unknownSession(id))
            }
            if let _: String = session[6] { throw Refused(.voided(id, reason: session[7] ?? "")) }
            let classID: String = session[0]
            let lessonID: String = session[1]
            var changes: [SessionChange] = []
            func change(_ field: String, _ column: String, old: String, new: String, value: DatabaseValueConvertible) throws {
                guard old != new else { return }
                try db.execute(sql: "UPDATE session SET \(column) = ? WHERE id = ?", arguments: [value, id])
                try Self.record(AuditEvent(
                    at: context.at, actor: context.actor, action: "amend", entity: "session", entityId: String(id),
                    field: field, oldValue: old, newValue: new, reason: reason), in: db)
                changes.append(SessionChange(field: field, oldValue: old, newValue: new))
            }
            if let date = amendment.date, date != session[4] as String {
                if let existing = try Int64.fetchOne(db, sql: """
                    SELECT id FROM session WHERE classId = ? AND lessonId = ? AND date = ? AND voidedAt IS NULL AND id <> ?
                    """, arguments: [classID, lessonID, date, id]) {
                    throw Refused(.duplicate(existing: existing))
                }
                try change("date", "date", old: session[4], new: date, value: date)
            }
            if let officer = amendment.officerID {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM officer WHERE id = ?", arguments: [officer]) != nil else {
                    throw Refused(.unknownOfficer(officer))
                }
                try change("officer", "officerId", old: session[3], new: officer, value: officer)
            }
            if let minutes = amendment.minutes {
                try change("minutes", "minutes", old: String(session[5] as Int), new: String(minutes), value: minutes)
            }
            if let version = amendment.lessonVersion, version != session[2] as Int {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM lessonVersion WHERE lessonId = ? AND version = ?", arguments: [lessonID, version]) != nil else {
                    throw Refused(.unknownLessonVersion(lesson: lessonID, version: version))
                }
                let attempts = try Int.fetchOne(db, sql: "SELECT count(*) FROM quizAttempt WHERE sessionId = ? AND voidedAt IS NULL", arguments: [id]) ?? 0
                if attempts > 0 { throw Refused(.quizMarkedAgainstVersion(session: id, version: session[2], attempts: attempts)) }
                try change("lesson version", "lessonVersion", old: String(session[2] as Int), new: String(version), value: version)
            }
            if let (student, status) = amendment.status {
                switch try Self.amendStatus(id, classID: classID, student: student, status: status, reason: reason, context: context, in: db) {
                case .failure(let refusal): throw Refused(refusal)
                case .success(let old):
                    if old != status {
                        changes.append(SessionChange(field: "status of \(student)", oldValue: old?.rawValue ?? "(none)", newValue: status.rawValue))
                    }
                }
            }
            return changes
        }
    }

    /// Every quiz attempt of a session, voided ones too, by student then attempt number.
    package func quizAttempts(session id: Int64) throws(StoreError) -> [StoredQuizAttempt] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT studentId, attempt, earned, possible, passed, recordedAt, recordedBy, voidedAt, voidedBy, voidReason
                FROM quizAttempt WHERE sessionId = ? ORDER BY studentId, attempt
                """, arguments: [id]).map { row in
                StoredQuizAttempt(studentID: row[0], attempt: row[1], earned: row[2], possible: row[3], passed: row[4],
                                  recordedAt: row[5], recordedBy: row[6], voidedAt: row[7], voidedBy: row[8], voidReason: row[9])
            }
        }
    }

    /// Changes one student's status, keeping the old one in the audit trail.
    package func amendSession(_ id: Int64, student: String, status: AttendanceStatus, reason: String, context: WriteContext) throws(StoreError) -> Result<AttendanceStatus?, SessionRefusal> {
        try write { db -> Result<AttendanceStatus?, SessionRefusal> in
            guard let session = try Row.fetchOne(db, sql: "SELECT classId, voidedAt, voidReason FROM session WHERE id = ?", arguments: [id]) else {
                return .failure(.unknownSession(id))
            }
            if let _: String = session[1] { return .failure(.voided(id, reason: session[2] ?? "")) }
            return try Self.amendStatus(id, classID: session[0], student: student, status: status, reason: reason, context: context, in: db)
        }
    }

    private static func amendStatus(_ id: Int64, classID: String, student: String, status: AttendanceStatus, reason: String,
                                    context: WriteContext, in db: Database) throws -> Result<AttendanceStatus?, SessionRefusal> {
            let old = try String.fetchOne(db, sql: "SELECT status FROM mark WHERE sessionId = ? AND studentId = ?", arguments: [id, student]).flatMap(AttendanceStatus.init(rawValue:))
            if old == nil {
                // A student enrolled after the session was logged may be given a status now.
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM enrollment WHERE classId = ? AND studentId = ?", arguments: [classID, student]) != nil else {
                    return .failure(.notInSession(student: student, session: id))
                }
            }
            if old == status { return .success(old) }
            if !status.attended {
                let attempts = try Int.fetchOne(db, sql: "SELECT count(*) FROM quizAttempt WHERE sessionId = ? AND studentId = ? AND voidedAt IS NULL", arguments: [id, student]) ?? 0
                if attempts > 0 { return .failure(.hasQuizAttempts(student: student, session: id, attempts: attempts)) }
            }
            try db.execute(sql: """
                INSERT INTO mark (sessionId, studentId, status) VALUES (?, ?, ?)
                ON CONFLICT (sessionId, studentId) DO UPDATE SET status = excluded.status
                """, arguments: [id, student, status.rawValue])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "amend", entity: "session", entityId: String(id),
                field: "status of \(student)", oldValue: old?.rawValue ?? "(none)", newValue: status.rawValue, reason: reason), in: db)
            return .success(old)
    }

    /// Voids a session: it stays stored with its marks, and leaves every report.
    package func voidSession(_ id: Int64, reason: String, context: WriteContext) throws(StoreError) -> Result<Void, SessionRefusal> {
        try write { db -> Result<Void, SessionRefusal> in
            guard let session = try Row.fetchOne(db, sql: "SELECT voidedAt, voidReason FROM session WHERE id = ?", arguments: [id]) else {
                return .failure(.unknownSession(id))
            }
            if let _: String = session[0] { return .failure(.voided(id, reason: session[1] ?? "")) }
            try db.execute(sql: "UPDATE session SET voidedAt = ?, voidedBy = ?, voidReason = ? WHERE id = ?", arguments: [context.at, context.actor, reason, id])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "void", entity: "session", entityId: String(id),
                field: "voided", oldValue: "no", newValue: "yes", reason: reason), in: db)
            return .success(())
        }
    }
}
