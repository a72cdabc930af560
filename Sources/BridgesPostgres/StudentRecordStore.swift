import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

// A student's whole record, the retention purge and the disclosure log: SQLite's operations of
// the same names (StudentRecordStore, RetentionPurge, DisclosureStore), on PostgreSQL.
extension PostgresStore {
    /// The student's whole record, in one read; nil when no such student is stored.
    package func studentRecord(_ studentID: String) async throws(StoreError) -> StoredStudentRecord? {
        try await read { connection in
            guard let student = try await connection.first(
                "SELECT id, givenName, familyName, gradeCode, identifier, directoryOptOut FROM student WHERE id = \(studentID)",
                as: (String, String, String, String, String?, Int64).self)
            else { return nil }
            var record = StoredStudentRecord(
                studentID: student.0, givenName: student.1, familyName: student.2, grade: student.3, identifier: student.4,
                directoryOptOut: student.5 != 0)
            for try await (schoolID, schoolName, classID, className) in try await connection.rows("""
                SELECT s.id, s.name, c.id, c.name
                FROM enrollment e JOIN schoolClass c ON c.id = e.classId JOIN school s ON s.id = c.schoolId
                WHERE e.studentId = \(studentID) ORDER BY s.id, c.id
                """).decode((String, String, String, String).self) {
                record.enrollments.append(.init(schoolID: schoolID, schoolName: schoolName, classID: classID, className: className))
            }
            for try await row in try await connection.rows("""
                SELECT se.id, se.date, l.programId, se.lessonId, se.lessonVersion, lv.title, se.classId, c.schoolId,
                       se.officerId, o.name, se.minutes, m.status, se.recordedAt, se.recordedBy,
                       se.voidedAt, se.voidedBy, se.voidReason
                FROM mark m
                JOIN session se ON se.id = m.sessionId
                JOIN lesson l ON l.id = se.lessonId
                JOIN lessonVersion lv ON lv.lessonId = se.lessonId AND lv.version = se.lessonVersion
                JOIN schoolClass c ON c.id = se.classId
                JOIN officer o ON o.id = se.officerId
                WHERE m.studentId = \(studentID) ORDER BY se.date, se.id
                """) {
                let r = try row.decode(
                    (Int64, String, String, String, Int, String, String, String, String, String, Int, String, String, String,
                     String?, String?, String?).self)
                record.marks.append(.init(
                    sessionID: r.0, date: r.1, programID: r.2, lessonID: r.3, lessonVersion: r.4, lessonTitle: r.5, classID: r.6,
                    schoolID: r.7, officerID: r.8, officerName: r.9, minutes: r.10, status: r.11, recordedAt: r.12, recordedBy: r.13,
                    voidedAt: r.14, voidedBy: r.15, voidReason: r.16))
            }
            for try await row in try await connection.rows("""
                SELECT q.sessionId, se.date, se.lessonId, q.attempt, q.responses, q.earned, q.possible, q.passed,
                       q.recordedAt, q.recordedBy, q.voidedAt, q.voidedBy, q.voidReason
                FROM quizAttempt q JOIN session se ON se.id = q.sessionId
                WHERE q.studentId = \(studentID) ORDER BY se.date, q.sessionId, q.attempt
                """) {
                let r = try row.decode((Int64, String, String, Int, String, Int, Int, Int64, String, String, String?, String?, String?).self)
                record.quizAttempts.append(.init(
                    sessionID: r.0, date: r.1, lessonID: r.2, attempt: r.3, responses: r.4, earned: r.5, possible: r.6, passed: r.7 != 0,
                    recordedAt: r.8, recordedBy: r.9, voidedAt: r.10, voidedBy: r.11, voidReason: r.12))
            }
            for try await row in try await connection.rows("""
                SELECT code, programId, programVersion, title, schoolId, issuedOn, validUntil, issuedAt, issuedBy,
                       revokedOn, revokedBy, revocationReason
                FROM certificate WHERE studentId = \(studentID) ORDER BY issuedOn, code
                """) {
                let r = try row.decode((String, String, Int, String, String?, String, String?, String, String, String?, String?, String?).self)
                record.certificates.append(.init(
                    code: r.0, programID: r.1, programVersion: r.2, title: r.3, schoolID: r.4, issuedOn: r.5, validUntil: r.6,
                    issuedAt: r.7, issuedBy: r.8, revokedOn: r.9, revokedBy: r.10, revocationReason: r.11))
            }
            // A session's events name a student in `field` ("status of S", "quiz attempt N of S");
            // those that name no one (minutes, date, void) are corrections of the whole session.
            for try await row in try await connection.rows("""
                SELECT id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail FROM auditEvent
                WHERE (entity = 'student' AND entityId = \(studentID))
                   OR (entity = 'certificate' AND entityId IN (SELECT code FROM certificate WHERE studentId = \(studentID)))
                   OR (entity = 'session' AND entityId IN (SELECT sessionId::text FROM mark WHERE studentId = \(studentID))
                       AND action NOT IN ('log', 'quiz')
                       AND (field = 'status of ' || \(studentID)
                            OR (field LIKE 'quiz attempt % of %' AND right(field, length(' of ' || \(studentID))) = ' of ' || \(studentID))
                            OR (field NOT LIKE 'status of %' AND field NOT LIKE 'quiz attempt % of %')))
                ORDER BY id
                """) {
                let c = try row.decode((Int64, String, String, String, String, String, String?, String?, String?, String?, String?).self)
                var event = AuditEvent(
                    at: c.1, actor: c.2, action: c.3, entity: c.4, entityId: c.5,
                    field: c.6, oldValue: c.7, newValue: c.8, reason: c.9, detail: c.10)
                event.id = c.0
                record.events.append(event)
            }
            return record
        }
    }

    /// Removes the student records past their time, as SQLite's store does (the marks and quiz
    /// attempts of sessions dated before `before`, the certificates that ended before it, not
    /// those of students under a legal hold), each session and certificate an event, and the
    /// purge one more. One transaction; `dryRun` reads the same plan and writes nothing.
    package func purgeRetention(before: String, dryRun: Bool, context: WriteContext) async throws(StoreError) -> RetentionPurgePlan {
        @Sendable func plan(_ connection: PostgresConnection) async throws -> RetentionPurgePlan {
            var purge = RetentionPurgePlan(before: before)
            purge.heldStudents = try await connection.values("SELECT id FROM student WHERE holdReason IS NOT NULL ORDER BY id", as: String.self)
            for try await (id, date, classID, lessonID, marks, attempts) in try await connection.rows("""
                SELECT s.id, s.date, s.classId, s.lessonId,
                       (SELECT count(*) FROM mark m JOIN student t ON t.id = m.studentId WHERE m.sessionId = s.id AND t.holdReason IS NULL),
                       (SELECT count(*) FROM quizAttempt q JOIN student t ON t.id = q.studentId WHERE q.sessionId = s.id AND t.holdReason IS NULL)
                FROM session s WHERE s.date < \(before) ORDER BY s.date, s.id
                """).decode((Int64, String, String, String, Int64, Int64).self) {
                guard marks + attempts > 0 else { continue }
                purge.sessions.append(.init(id: id, date: date, classID: classID, lessonID: lessonID, marks: Int(marks), quizAttempts: Int(attempts)))
            }
            for try await (code, programID, ended) in try await connection.rows("""
                SELECT c.code, c.programId,
                       CASE WHEN c.revokedOn IS NOT NULL AND (c.validUntil IS NULL OR c.revokedOn < c.validUntil) THEN c.revokedOn ELSE c.validUntil END AS ended
                FROM certificate c JOIN student t ON t.id = c.studentId
                WHERE t.holdReason IS NULL AND c.statusIndex IS NULL AND (c.validUntil < \(before) OR c.revokedOn < \(before))
                ORDER BY ended, c.code
                """).decode((String, String, String).self) {
                purge.certificates.append(.init(code: code, programID: programID, ended: ended))
            }
            return purge
        }
        if dryRun { return try await read { connection in try await plan(connection) } }
        return try await write { connection in
            let purge = try await plan(connection)
            let statuses = ["present", "late", "absent", "excused"]
            for session in purge.sessions {
                var counts: [String: Int] = [:]
                for try await (status, count) in try await connection.rows("""
                    SELECT m.status, count(*) FROM mark m JOIN student t ON t.id = m.studentId
                    WHERE m.sessionId = \(session.id) AND t.holdReason IS NULL GROUP BY m.status
                    """).decode((String, Int64).self) {
                    counts[status] = Int(count)
                }
                try await connection.run("""
                    DELETE FROM mark WHERE sessionId = \(session.id) AND studentId IN (SELECT id FROM student WHERE holdReason IS NULL)
                    """)
                try await connection.run("""
                    DELETE FROM quizAttempt WHERE sessionId = \(session.id) AND studentId IN (SELECT id FROM student WHERE holdReason IS NULL)
                    """)
                // Worded as a log event's counts, so the replay of the marks can subtract them.
                try await Self.record(AuditEvent(
                    at: context.at, actor: context.actor, action: "purge marks", entity: "session", entityId: String(session.id),
                    detail: "retention: records of sessions before \(before), \(session.quizAttempts) quiz attempts; "
                        + statuses.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")),
                    on: connection)
            }
            for certificate in purge.certificates {
                let key = try await connection.value(
                    "SELECT programId || '|' || issuedAt || '|' || issuedBy FROM certificate WHERE code = \(certificate.code)", as: String.self)
                try await connection.run("DELETE FROM certificate WHERE code = \(certificate.code)")
                try await Self.record(AuditEvent(
                    at: context.at, actor: context.actor, action: "purge", entity: "certificate", entityId: certificate.code,
                    oldValue: key, detail: "retention: ended \(certificate.ended), before \(before)"), on: connection)
            }
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "retention purge", entity: "database", entityId: "bridges",
                detail: "before \(before): \(purge.marks) marks and \(purge.quizAttempts) quiz attempts of \(purge.sessions.count) sessions, \(purge.certificates.count) certificates; \(purge.heldStudents.count) students under legal hold kept"),
                on: connection)
            return purge
        }
    }

    /// Records a disclosure and the students it named in one write transaction, `publish` first
    /// inside it (should it or the recording fail, nothing is recorded). The students, handed
    /// over one at a time in any order on `publish`'s own thread, go to a temporary table a batch
    /// at a time, and are stored from there once each, in order.
    package func recordDisclosure(
        _ entry: DisclosureEntry, students: (_ each: (String) throws -> Void) throws -> Void, publish: () throws -> String
    ) async throws(StoreError) -> Int64 {
        try await write { connection in
            var entry = entry
            entry.destination = try await OwnThread.run { try publish() }
            guard let id = try await connection.value("""
                INSERT INTO disclosure (at, actor, kind, filters, rowCount, destination, purpose, namesStudents)
                VALUES (\(entry.at), \(entry.actor), \(entry.kind), \(entry.filters), \(Int64(entry.rowCount)), \(entry.destination),
                        \(entry.purpose), \(entry.namesStudents ? Int64(1) : 0))
                RETURNING id
                """, as: Int64.self) else { throw StoreError.rejected("the disclosure was not recorded") }
            try await connection.run("DROP TABLE IF EXISTS disclosing")
            try await connection.run("CREATE TEMP TABLE disclosing (studentId TEXT COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP")
            let batch = DisclosedBatch(connection: connection)
            try await OwnThread.run {
                try students { student in try batch.add(student) }
                try batch.send()
            }
            try await connection.run("""
                INSERT INTO disclosedStudent (studentId, disclosureId) SELECT studentId, \(id) FROM disclosing ORDER BY studentId
                """)
            try await connection.run("DROP TABLE disclosing")
            return id
        }
    }

    /// The disclosures recorded, oldest first: all of them, or those that named `studentID`;
    /// `from`/`to` (`YYYY-MM-DD`, inclusive) on the day they were made (UTC).
    package func disclosures(studentID: String?, from: String?, to: String?) async throws(StoreError) -> [DisclosureEntry] {
        try await read { connection in
            var entries: [DisclosureEntry] = []
            // `at` is `YYYY-MM-DDTHH:MM:SSZ`: every instant of that day sorts before `to` + "U".
            let end = to.map { $0 + "U" }
            for try await row in try await connection.rows("""
                SELECT d.id, d.at, d.actor, d.kind, d.filters, d.rowCount, d.destination, d.purpose, d.namesStudents,
                       (SELECT count(*) FROM disclosedStudent c WHERE c.disclosureId = d.id)
                FROM disclosure d
                WHERE (\(studentID)::text IS NULL
                       OR EXISTS (SELECT 1 FROM disclosedStudent ds WHERE ds.disclosureId = d.id AND ds.studentId = \(studentID)))
                  AND (\(from)::text IS NULL OR d.at >= \(from))
                  AND (\(end)::text IS NULL OR d.at < \(end))
                ORDER BY d.id
                """) {
                let r = try row.decode((Int64, String, String, String, String, Int64, String, String?, Int64, Int64).self)
                entries.append(DisclosureEntry(
                    id: r.0, at: r.1, actor: r.2, kind: r.3, filters: r.4, rowCount: Int(r.5), destination: r.6, purpose: r.7,
                    namesStudents: r.8 != 0, studentCount: Int(r.9)))
            }
            return entries
        }
    }
}

/// The student ids of a disclosure on their way to its temporary table, a batch at a time.
private final class DisclosedBatch: @unchecked Sendable {
    let connection: PostgresConnection
    private var ids: [String] = []

    init(connection: PostgresConnection) { self.connection = connection }

    func add(_ id: String) throws {
        ids.append(id)
        if ids.count >= 1000 { try send() }
    }

    func send() throws {
        guard !ids.isEmpty else { return }
        let batch = ids, connection = connection
        ids.removeAll(keepingCapacity: true)
        try OwnThread.waitFor {
            try await connection.run("INSERT INTO disclosing (studentId) SELECT unnest(\(batch)::text[]) ON CONFLICT DO NOTHING")
        }
    }
}
