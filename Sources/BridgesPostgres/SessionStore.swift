import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

/// A refusal thrown inside a write transaction so that it rolls back (see `writeOrRefuse`).
struct SessionRefused: Error {
    let refusal: SessionRefusal
    init(_ refusal: SessionRefusal) { self.refusal = refusal }
}

extension PostgresStore {
    /// Runs `body` as one write transaction that a `SessionRefused` rolls back whole, returned as
    /// the refusal: for an operation that changes several things and may be refused part way.
    func writeOrRefuse<T>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> Result<T, SessionRefusal> {
        try await write(keepingIf: { if case .success = $0 { true } else { false } }) { connection -> Result<T, SessionRefusal> in
            do {
                return .success(try await body(connection))
            } catch let refused as SessionRefused {
                return .failure(refused.refusal)
            }
        }
    }

    /// Logs one session and every enrolled student's status, in one transaction; or refuses
    /// with the reason and writes nothing.
    package func logSession(_ request: SessionRequest, context: WriteContext) async throws(StoreError) -> Result<LoggedSession, SessionRefusal> {
        try await write { connection in try await Self.logSession(request, context: context, on: connection) }
    }

    /// `logSession` inside a transaction the caller runs (the API's idempotent logging).
    static func logSession(_ request: SessionRequest, context: WriteContext, on connection: PostgresConnection) async throws -> Result<LoggedSession, SessionRefusal> {
        guard let (version, plannedMinutes) = try await connection.first("""
            SELECT l.latestVersion, v.minutes FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion
            WHERE l.id = \(request.lessonID)
            """, as: (Int, Int).self) else { return .failure(.unknownLesson(request.lessonID)) }
        guard try await connection.value("SELECT 1::bigint FROM schoolClass WHERE id = \(request.classID)", as: Int.self) != nil else {
            return .failure(.unknownClass(request.classID))
        }
        guard let (certifiedUntil) = try await connection.first(
            "SELECT certifiedUntil FROM officer WHERE id = \(request.officerID)", as: (String?).self) else {
            return .failure(.unknownOfficer(request.officerID))
        }
        if let existing = try await connection.value("""
            SELECT id FROM session WHERE classId = \(request.classID) AND lessonId = \(request.lessonID) AND date = \(request.date) AND voidedAt IS NULL
            """, as: Int64.self) {
            return .failure(.duplicate(existing: existing))
        }
        let enrolled = Set(try await connection.values("SELECT studentId FROM enrollment WHERE classId = \(request.classID)", as: String.self))
        let statuses: [String: AttendanceStatus]
        switch AttendanceSheet.resolve(enrolled: enrolled, named: request.named, others: request.others) {
        case .success(let resolved): statuses = resolved
        case .failure(var problems):
            // The officer knows the students by name: say who each forgotten id is.
            for (index, problem) in problems.problems.enumerated() {
                guard case .unnamed(let ids, _) = problem else { continue }
                var names: [String: String] = [:]
                for try await (id, given, family) in try await connection.rows("""
                    SELECT id, givenName, familyName FROM student WHERE id = ANY(\(Array(ids.prefix(20))))
                    """).decode((String, String, String).self) {
                    names[id] = "\(given) \(family)"
                }
                problems.problems[index] = .unnamed(ids, names: names)
            }
            return .failure(.attendance(problems))
        }
        let minutes = request.minutes ?? plannedMinutes
        guard let id = try await connection.value("""
            INSERT INTO session (classId, lessonId, lessonVersion, officerId, date, minutes, note, recordedAt, recordedBy)
            VALUES (\(request.classID), \(request.lessonID), \(version), \(request.officerID), \(request.date), \(minutes), \(request.note),
                    \(context.at), \(context.actor))
            RETURNING id
            """, as: Int64.self) else { throw StoreError.rejected("the new session was given no id") }
        var counts: [AttendanceStatus: Int] = [:]
        let students = statuses.keys.sorted()
        for status in statuses.values { counts[status, default: 0] += 1 }
        // One statement for the whole class.
        try await connection.run("""
            INSERT INTO mark (sessionId, studentId, status)
            SELECT \(id), student, status FROM unnest(\(students)::text[], \(students.map { statuses[$0]!.rawValue })::text[]) AS m(student, status)
            """)
        try await record(AuditEvent(
            at: context.at, actor: context.actor, action: "log", entity: "session", entityId: String(id),
            detail: "lesson \(request.lessonID) v\(version), class \(request.classID), officer \(request.officerID), \(request.date), \(minutes) min; "
                + AttendanceStatus.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")), on: connection)
        return .success(LoggedSession(
            id: id, lessonVersion: version, minutes: minutes, counts: counts, officerCertifiedUntil: certifiedUntil,
            programFirstLoaded: try await programFirstLoaded(lesson: request.lessonID, on: connection),
            gradesOutsideLesson: try await gradesOutsideLesson(lesson: request.lessonID, version: version, classID: request.classID, on: connection)))
    }

    /// When the lesson's program was first loaded here.
    static func programFirstLoaded(lesson: String, on connection: PostgresConnection) async throws -> String? {
        try await connection.first("""
            SELECT substr(min(pv.loadedAt), 1, 10) FROM lesson l JOIN programVersion pv ON pv.programId = l.programId WHERE l.id = \(lesson)
            """, as: (String?).self) ?? nil
    }

    /// The grades of the class's students that the lesson (or, without grades of its own, its
    /// program) is not written for.
    static func gradesOutsideLesson(lesson: String, version: Int, classID: String, on connection: PostgresConnection) async throws -> GradeBandMismatch? {
        guard let (lowText, highText) = try await connection.first("""
            SELECT coalesce(v.content::jsonb #>> '{grades,min}', pv.content::jsonb #>> '{grades,min}'),
                   coalesce(v.content::jsonb #>> '{grades,max}', pv.content::jsonb #>> '{grades,max}')
            FROM lessonVersion v JOIN lesson l ON l.id = v.lessonId
            JOIN program p ON p.id = l.programId JOIN programVersion pv ON pv.programId = p.id AND pv.version = p.latestVersion
            WHERE v.lessonId = \(lesson) AND v.version = \(version)
            """, as: (String?, String?).self),
            let low = lowText.flatMap({ Int($0) }), let high = highText.flatMap({ Int($0) }),
            let min = Grade(number: low), let max = Grade(number: high) else { return nil }
        var outside: [Grade: Int] = [:]
        for try await (grade, count) in try await connection.rows("""
            SELECT st.grade, count(*) FROM enrollment e JOIN student st ON st.id = e.studentId
            WHERE e.classId = \(classID) AND (st.grade < \(low) OR st.grade > \(high)) GROUP BY st.grade
            """).decode((Int, Int).self) {
            if let grade = Grade(number: grade) { outside[grade] = count }
        }
        return outside.isEmpty ? nil : GradeBandMismatch(lessonGrades: GradeRange(min: min, max: max), studentsByGrade: outside)
    }

    package func sessions(_ filter: SessionFilter) async throws(StoreError) -> [SessionInfo] {
        try await read { connection in
            try await Self.summaries(connection.rows("""
                \(unescaped: Self.summarySQL)
                WHERE (\(filter.classID)::text IS NULL OR s.classId = \(filter.classID))
                  AND (\(filter.programID)::text IS NULL OR l.programId = \(filter.programID))
                  AND (\(filter.from)::text IS NULL OR s.date >= \(filter.from)) AND (\(filter.to)::text IS NULL OR s.date <= \(filter.to))
                GROUP BY s.id, l.programId, v.title, c.schoolId, o.name ORDER BY s.date, s.id
                """))
        }
    }

    package func session(id: Int64) async throws(StoreError) -> SessionInfo? {
        try await read { connection in
            try await Self.summaries(connection.rows("\(unescaped: Self.summarySQL) WHERE s.id = \(id) GROUP BY s.id, l.programId, v.title, c.schoolId, o.name")).first
        }
    }

    private static let summarySQL = """
        SELECT s.id, s.date, l.programId, s.lessonId, s.lessonVersion, v.title, c.schoolId, s.classId, s.officerId, o.name,
               s.minutes, s.note, s.recordedAt, s.recordedBy, s.voidedAt, s.voidedBy, s.voidReason,
               count(m.status) FILTER (WHERE m.status = 'present'), count(m.status) FILTER (WHERE m.status = 'late'),
               count(m.status) FILTER (WHERE m.status = 'absent'), count(m.status) FILTER (WHERE m.status = 'excused')
        FROM session s
        JOIN lesson l ON l.id = s.lessonId
        JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion
        JOIN schoolClass c ON c.id = s.classId
        JOIN officer o ON o.id = s.officerId
        LEFT JOIN mark m ON m.sessionId = s.id

        """

    private static func summaries(_ rows: PostgresRowSequence) async throws -> [SessionInfo] {
        var summaries: [SessionInfo] = []
        for try await row in rows {
            let r = row.makeRandomAccess()
            var counts: [AttendanceStatus: Int] = [:]
            for (offset, status) in AttendanceStatus.allCases.enumerated() { counts[status] = try r.at(17 + offset, Int.self) }
            summaries.append(SessionInfo(
                id: try r.at(0), date: try r.at(1), programID: try r.at(2), lessonID: try r.at(3), lessonVersion: try r.at(4),
                lessonTitle: try r.at(5), schoolID: try r.at(6), classID: try r.at(7), officerID: try r.at(8), officerName: try r.at(9),
                minutes: try r.at(10), note: try r.at(11), recordedAt: try r.at(12), recordedBy: try r.at(13),
                voidedAt: try r.at(14), voidedBy: try r.at(15), voidReason: try r.at(16), counts: counts))
        }
        return summaries
    }

    /// Every student's status in a session, with their quiz attempts there.
    package func marks(session id: Int64) async throws(StoreError) -> [SessionMark] {
        try await read { connection in
            var marks: [SessionMark] = []
            for try await row in try await connection.rows("""
                SELECT m.studentId, st.familyName, st.givenName, st.gradeCode, m.status,
                       (SELECT count(*) FROM quizAttempt q WHERE q.sessionId = m.sessionId AND q.studentId = m.studentId AND q.voidedAt IS NULL),
                       b.earned, b.possible, b.passed
                FROM mark m JOIN student st ON st.id = m.studentId
                LEFT JOIN quizAttempt b ON b.id = (
                    SELECT q.id FROM quizAttempt q WHERE q.sessionId = m.sessionId AND q.studentId = m.studentId AND q.voidedAt IS NULL
                    ORDER BY q.earned * 1.0 / q.possible DESC, q.attempt LIMIT 1)
                WHERE m.sessionId = \(id)
                ORDER BY st.familyName, st.givenName, m.studentId
                """) {
                let r = row.makeRandomAccess()
                marks.append(SessionMark(
                    studentID: try r.at(0), familyName: try r.at(1), givenName: try r.at(2), grade: try r.at(3),
                    status: AttendanceStatus(rawValue: try r.at(4)) ?? .absent, attempts: try r.at(5),
                    bestEarned: try r.at(6), bestPossible: try r.at(7), bestPassed: try r.at(8, Int?.self).map { $0 == 1 }))
            }
            return marks
        }
    }

    /// Corrects what a session records, in one transaction, each change its own audit event with
    /// the reason; the rules of a new log still hold (see SQLite's store, the model).
    package func amendSession(_ id: Int64, _ amendment: SessionAmendment, reason: String, context: WriteContext) async throws(StoreError) -> Result<[SessionChange], SessionRefusal> {
        try await writeOrRefuse { connection -> [SessionChange] in
            guard let session = try await connection.first("""
                SELECT classId, lessonId, lessonVersion, officerId, date, minutes, voidedAt, voidReason FROM session WHERE id = \(id)
                """, as: (String, String, Int, String, String, Int, String?, String?).self) else {
                throw SessionRefused(.unknownSession(id))
            }
            if session.6 != nil { throw SessionRefused(.voided(id, reason: session.7 ?? "")) }
            let (classID, lessonID, storedVersion, storedOfficer, storedDate, storedMinutes) = (session.0, session.1, session.2, session.3, session.4, session.5)
            var changes: [SessionChange] = []
            func change(_ field: String, _ update: PostgresQuery, old: String, new: String) async throws {
                guard old != new else { return }
                try await connection.run(update)
                try await Self.record(AuditEvent(
                    at: context.at, actor: context.actor, action: "amend", entity: "session", entityId: String(id),
                    field: field, oldValue: old, newValue: new, reason: reason), on: connection)
                changes.append(SessionChange(field: field, oldValue: old, newValue: new))
            }
            if let date = amendment.date, date != storedDate {
                if let existing = try await connection.value("""
                    SELECT id FROM session WHERE classId = \(classID) AND lessonId = \(lessonID) AND date = \(date) AND voidedAt IS NULL AND id <> \(id)
                    """, as: Int64.self) {
                    throw SessionRefused(.duplicate(existing: existing))
                }
                try await change("date", "UPDATE session SET date = \(date) WHERE id = \(id)", old: storedDate, new: date)
            }
            if let officer = amendment.officerID {
                guard try await connection.value("SELECT 1::bigint FROM officer WHERE id = \(officer)", as: Int.self) != nil else {
                    throw SessionRefused(.unknownOfficer(officer))
                }
                try await change("officer", "UPDATE session SET officerId = \(officer) WHERE id = \(id)", old: storedOfficer, new: officer)
            }
            if let minutes = amendment.minutes {
                try await change("minutes", "UPDATE session SET minutes = \(minutes) WHERE id = \(id)", old: String(storedMinutes), new: String(minutes))
            }
            if let version = amendment.lessonVersion, version != storedVersion {
                guard try await connection.value(
                    "SELECT 1::bigint FROM lessonVersion WHERE lessonId = \(lessonID) AND version = \(version)", as: Int.self) != nil else {
                    throw SessionRefused(.unknownLessonVersion(lesson: lessonID, version: version))
                }
                let attempts = try await connection.value(
                    "SELECT count(*) FROM quizAttempt WHERE sessionId = \(id) AND voidedAt IS NULL", as: Int.self) ?? 0
                if attempts > 0 { throw SessionRefused(.quizMarkedAgainstVersion(session: id, version: storedVersion, attempts: attempts)) }
                try await change("lesson version", "UPDATE session SET lessonVersion = \(version) WHERE id = \(id)",
                                 old: String(storedVersion), new: String(version))
            }
            if let (student, status) = amendment.status {
                switch try await Self.amendStatus(id, classID: classID, student: student, status: status, reason: reason, context: context, on: connection) {
                case .failure(let refusal): throw SessionRefused(refusal)
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
    package func quizAttempts(session id: Int64) async throws(StoreError) -> [StoredQuizAttempt] {
        try await read { connection in
            var attempts: [StoredQuizAttempt] = []
            for try await row in try await connection.rows("""
                SELECT studentId, attempt, earned, possible, passed, recordedAt, recordedBy, voidedAt, voidedBy, voidReason
                FROM quizAttempt WHERE sessionId = \(id) ORDER BY studentId, attempt
                """) {
                let r = row.makeRandomAccess()
                attempts.append(StoredQuizAttempt(
                    studentID: try r.at(0), attempt: try r.at(1), earned: try r.at(2), possible: try r.at(3), passed: try r.at(4, Int.self) == 1,
                    recordedAt: try r.at(5), recordedBy: try r.at(6), voidedAt: try r.at(7), voidedBy: try r.at(8), voidReason: try r.at(9)))
            }
            return attempts
        }
    }

    /// Changes one student's status, keeping the old one in the audit trail.
    package func amendSession(_ id: Int64, student: String, status: AttendanceStatus, reason: String, context: WriteContext) async throws(StoreError) -> Result<AttendanceStatus?, SessionRefusal> {
        try await write { connection -> Result<AttendanceStatus?, SessionRefusal> in
            guard let (classID, voidedAt, voidReason) = try await connection.first(
                "SELECT classId, voidedAt, voidReason FROM session WHERE id = \(id)", as: (String, String?, String?).self) else {
                return .failure(.unknownSession(id))
            }
            if voidedAt != nil { return .failure(.voided(id, reason: voidReason ?? "")) }
            return try await Self.amendStatus(id, classID: classID, student: student, status: status, reason: reason, context: context, on: connection)
        }
    }

    private static func amendStatus(_ id: Int64, classID: String, student: String, status: AttendanceStatus, reason: String,
                                    context: WriteContext, on connection: PostgresConnection) async throws -> Result<AttendanceStatus?, SessionRefusal> {
        let old = try await connection.value(
            "SELECT status FROM mark WHERE sessionId = \(id) AND studentId = \(student)", as: String.self).flatMap(AttendanceStatus.init(rawValue:))
        if old == nil {
            // A student enrolled after the session was logged may be given a status now.
            guard try await connection.value(
                "SELECT 1::bigint FROM enrollment WHERE classId = \(classID) AND studentId = \(student)", as: Int.self) != nil else {
                return .failure(.notInSession(student: student, session: id))
            }
        }
        if old == status { return .success(old) }
        if !status.attended {
            let attempts = try await connection.value(
                "SELECT count(*) FROM quizAttempt WHERE sessionId = \(id) AND studentId = \(student) AND voidedAt IS NULL", as: Int.self) ?? 0
            if attempts > 0 { return .failure(.hasQuizAttempts(student: student, session: id, attempts: attempts)) }
        }
        try await connection.run("""
            INSERT INTO mark (sessionId, studentId, status) VALUES (\(id), \(student), \(status.rawValue))
            ON CONFLICT (sessionId, studentId) DO UPDATE SET status = excluded.status
            """)
        try await record(AuditEvent(
            at: context.at, actor: context.actor, action: "amend", entity: "session", entityId: String(id),
            field: "status of \(student)", oldValue: old?.rawValue ?? "(none)", newValue: status.rawValue, reason: reason), on: connection)
        return .success(old)
    }

    /// Voids a session: it stays stored with its marks, and leaves every report.
    package func voidSession(_ id: Int64, reason: String, context: WriteContext) async throws(StoreError) -> Result<Void, SessionRefusal> {
        try await write { connection -> Result<Void, SessionRefusal> in
            guard let (voidedAt, voidReason) = try await connection.first(
                "SELECT voidedAt, voidReason FROM session WHERE id = \(id)", as: (String?, String?).self) else {
                return .failure(.unknownSession(id))
            }
            if voidedAt != nil { return .failure(.voided(id, reason: voidReason ?? "")) }
            try await connection.run(
                "UPDATE session SET voidedAt = \(context.at), voidedBy = \(context.actor), voidReason = \(reason) WHERE id = \(id)")
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "void", entity: "session", entityId: String(id),
                field: "voided", oldValue: "no", newValue: "yes", reason: reason), on: connection)
            return .success(())
        }
    }

    /// Logs a session under an idempotency key in one transaction: a key the same caller used
    /// before writes nothing and brings back the earlier entry.
    package func logSession(_ request: SessionRequest, idempotencyKey key: String, bodyHash: String, context: WriteContext) async throws(StoreError)
        -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession>
    {
        try await write { connection -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession> in
            if let (storedHash, sessionID) = try await connection.first(
                "SELECT bodyHash, sessionId FROM idempotencyKey WHERE caller = \(context.actor) AND key = \(key)", as: (String, Int64).self) {
                return .failure(IdempotentSession(key: key, caller: context.actor, bodyHash: storedHash, sessionID: sessionID))
            }
            let outcome = try await Self.logSession(request, context: context, on: connection)
            if case .success(let logged) = outcome {
                try await connection.run("""
                    INSERT INTO idempotencyKey (caller, key, bodyHash, sessionId, createdAt)
                    VALUES (\(context.actor), \(key), \(bodyHash), \(logged.id), \(context.at))
                    """)
            }
            return .success(outcome)
        }
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `index`.
    func at<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T {
        try self[index].decode(T.self, context: .default)
    }
}
