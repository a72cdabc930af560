import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// The student's whole record, in one read; nil when no such student is stored.
    package func studentRecord(_ studentID: String) throws(StoreError) -> StoredStudentRecord? {
        try read { db in
            guard let student = try Row.fetchOne(
                db, sql: "SELECT id, givenName, familyName, gradeCode, identifier, directoryOptOut FROM student WHERE id = ?",
                arguments: [studentID])
            else { return nil }
            var record = StoredStudentRecord(
                studentID: student["id"], givenName: student["givenName"], familyName: student["familyName"],
                grade: student["gradeCode"], identifier: student["identifier"], directoryOptOut: student["directoryOptOut"])
            record.enrollments = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id AS schoolId, s.name AS schoolName, c.id AS classId, c.name AS className
                    FROM enrollment e JOIN schoolClass c ON c.id = e.classId JOIN school s ON s.id = c.schoolId
                    WHERE e.studentId = ? ORDER BY s.id, c.id
                    """,
                arguments: [studentID]
            ).map { row in
                .init(schoolID: row["schoolId"], schoolName: row["schoolName"], classID: row["classId"], className: row["className"])
            }
            record.marks = try Row.fetchAll(
                db,
                sql: """
                    SELECT se.id, se.date, l.programId, se.lessonId, se.lessonVersion, lv.title, se.classId, c.schoolId,
                           se.officerId, o.name AS officerName, se.minutes, m.status, se.recordedAt, se.recordedBy,
                           se.voidedAt, se.voidedBy, se.voidReason
                    FROM mark m
                    JOIN session se ON se.id = m.sessionId
                    JOIN lesson l ON l.id = se.lessonId
                    JOIN lessonVersion lv ON lv.lessonId = se.lessonId AND lv.version = se.lessonVersion
                    JOIN schoolClass c ON c.id = se.classId
                    JOIN officer o ON o.id = se.officerId
                    WHERE m.studentId = ? ORDER BY se.date, se.id
                    """,
                arguments: [studentID]
            ).map { row in
                .init(
                    sessionID: row["id"], date: row["date"], programID: row["programId"], lessonID: row["lessonId"],
                    lessonVersion: row["lessonVersion"], lessonTitle: row["title"], classID: row["classId"], schoolID: row["schoolId"],
                    officerID: row["officerId"], officerName: row["officerName"], minutes: row["minutes"], status: row["status"],
                    recordedAt: row["recordedAt"], recordedBy: row["recordedBy"], voidedAt: row["voidedAt"], voidedBy: row["voidedBy"],
                    voidReason: row["voidReason"])
            }
            record.quizAttempts = try Row.fetchAll(
                db,
                sql: """
                    SELECT q.sessionId, se.date, se.lessonId, q.attempt, q.responses, q.earned, q.possible, q.passed,
                           q.recordedAt, q.recordedBy, q.voidedAt, q.voidedBy, q.voidReason
                    FROM quizAttempt q JOIN session se ON se.id = q.sessionId
                    WHERE q.studentId = ? ORDER BY se.date, q.sessionId, q.attempt
                    """,
                arguments: [studentID]
            ).map { row in
                .init(
                    sessionID: row["sessionId"], date: row["date"], lessonID: row["lessonId"], attempt: row["attempt"],
                    responses: row["responses"], earned: row["earned"], possible: row["possible"], passed: row["passed"],
                    recordedAt: row["recordedAt"], recordedBy: row["recordedBy"], voidedAt: row["voidedAt"], voidedBy: row["voidedBy"],
                    voidReason: row["voidReason"])
            }
            record.certificates = try Row.fetchAll(
                db,
                sql: """
                    SELECT code, programId, programVersion, title, schoolId, issuedOn, validUntil, issuedAt, issuedBy,
                           revokedOn, revokedBy, revocationReason
                    FROM certificate WHERE studentId = ? ORDER BY issuedOn, code
                    """,
                arguments: [studentID]
            ).map { row in
                .init(
                    code: row["code"], programID: row["programId"], programVersion: row["programVersion"], title: row["title"],
                    schoolID: row["schoolId"], issuedOn: row["issuedOn"], validUntil: row["validUntil"], issuedAt: row["issuedAt"],
                    issuedBy: row["issuedBy"], revokedOn: row["revokedOn"], revokedBy: row["revokedBy"],
                    revocationReason: row["revocationReason"])
            }
            // A session's events name a student in `field` ("status of S", "quiz attempt N of S");
            // those that name no one (minutes, date, void) are corrections of the whole session.
            record.events = try AuditEvent.fetchAll(
                db,
                sql: """
                    SELECT * FROM auditEvent
                    WHERE (entity = 'student' AND entityId = :student)
                       OR (entity = 'certificate' AND entityId IN (SELECT code FROM certificate WHERE studentId = :student))
                       OR (entity = 'session' AND entityId IN (SELECT CAST(sessionId AS TEXT) FROM mark WHERE studentId = :student)
                           AND action NOT IN ('log', 'quiz')
                           AND (field = 'status of ' || :student
                                OR (field LIKE 'quiz attempt % of %' AND substr(field, -length(' of ' || :student)) = ' of ' || :student)
                                OR (field NOT LIKE 'status of %' AND field NOT LIKE 'quiz attempt % of %')))
                    ORDER BY id
                    """,
                arguments: ["student": studentID])
            return record
        }
    }
}
