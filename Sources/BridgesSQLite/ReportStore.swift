import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Runs `body` in one read transaction, letting the errors `body` throws (a CSV writer's
    /// failure, say) through unchanged; the database's own errors become `StoreError`.
    ///
    /// A report is written while it is read, so the writer's errors must reach the caller as
    /// they are, not folded into a database error.
    private func streamingRead(_ body: (Database) throws -> Void) throws {
        do {
            try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// Whether a program with this id is stored.
    package func programExists(_ id: String) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM program WHERE id = ?", arguments: [id]) != nil }
    }

    /// Whether a school with this id is in the roster.
    package func schoolExists(_ id: String) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM school WHERE id = ?", arguments: [id]) != nil }
    }

    // MARK: attendance

    /// Calls `row` for every student's status at every session that is not voided, by session
    /// date, session id and student id, as the rows are read: one read transaction, one row in
    /// memory at a time. Errors `row` throws come through unchanged.
    package func attendanceReport(_ filter: ReportFilter, row: (AttendanceReportRow) throws -> Void) throws {
        try streamingRead { db in
            // The session is the outer loop (by date through session_date, whose entries end in
            // the rowid), and each session's marks come in student order from mark's key: no sort.
            let statement = try db.makeStatement(sql: """
                SELECT s.id, s.date, l.programId, s.lessonId, s.lessonVersion, v.title, c.schoolId, s.classId,
                       s.officerId, o.name, s.minutes, m.studentId, st.familyName, st.givenName, st.gradeCode, m.status,
                       s.recordedAt, s.recordedBy
                FROM session s
                JOIN lesson l ON l.id = s.lessonId
                JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion
                JOIN schoolClass c ON c.id = s.classId
                JOIN officer o ON o.id = s.officerId
                JOIN mark m ON m.sessionId = s.id
                JOIN student st ON st.id = m.studentId
                WHERE s.voidedAt IS NULL
                  AND (?1 IS NULL OR l.programId = ?1) AND (?2 IS NULL OR c.schoolId = ?2)
                  AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
                ORDER BY s.date, s.id, m.studentId
                """)
            let rows = try Row.fetchCursor(statement, arguments: filter.arguments)
            // A session's columns repeat on each of its students' rows: they are read once per
            // session, and only the student's columns are read for each row.
            var current: AttendanceReportRow?
            while let r = try rows.next() {
                let sessionID: Int64 = r[0]
                if current?.sessionID == sessionID {
                    // Changed in place: a copy would retain and release every string of the row.
                    current!.studentID = r[11]
                    current!.familyName = r[12]
                    current!.givenName = r[13]
                    current!.grade = r[14]
                    current!.status = r[15]
                } else {
                    current = AttendanceReportRow(
                        sessionID: sessionID, sessionDate: r[1], programID: r[2], lessonID: r[3], lessonVersion: r[4],
                        lessonTitle: r[5], schoolID: r[6], classID: r[7], officerID: r[8], officerName: r[9], minutes: r[10],
                        studentID: r[11], familyName: r[12], givenName: r[13], grade: r[14], status: r[15],
                        recordedAt: r[16], recordedBy: r[17])
                }
                try row(current!)
            }
        }
    }

    // MARK: summary

    /// Streams the summary report: for each program (the filter's, else every stored one, by
    /// id), `program` once, then `row` for each student, in student id order.
    ///
    /// The students are those of every class that had a session of the program in the filter
    /// (school, date range) that is not voided: everyone enrolled in such a class now, and anyone
    /// with a status at one of those sessions (a student who has since left the class), so that
    /// a student who never came still has a row. A student in two such classes has one row, with
    /// both classes; their counts are per student per program, over every class.
    ///
    /// Counts, attendance and quiz results cover the sessions in the filter (`from`…`to`).
    /// `certificateCode` is the student's current certificate for the program on `asOf`: issued
    /// on or before it, not revoked, and not expired (`validUntil`, the last day it is valid, on
    /// or after it), as `certificate issue` decides; the latest issued when there are several.
    ///
    /// Three cursors ordered by student id (classes, statuses and quizzes, certificates) are
    /// merged as they are read, so memory holds one student at a time however many there are.
    package func summaryReport(
        _ filter: ReportFilter, asOf: String,
        program: (SummaryReportProgram) throws -> Void, row: (SummaryReportRow) throws -> Void
    ) throws {
        try streamingRead { db in
            let programIDs: [String]
            if let id = filter.programID {
                programIDs = [id]
            } else {
                programIDs = try String.fetchAll(db, sql: "SELECT id FROM program ORDER BY id")
            }
            for programID in programIDs {
                guard let content = try String.fetchOne(db, sql: """
                    SELECT v.content FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion
                    WHERE p.id = ?
                    """, arguments: [programID]) else { continue }
                let decoded = try JSONDecoder().decode(Program.self, from: Data(content.utf8))
                try program(SummaryReportProgram(program: decoded, lessonsWithQuiz: try Self.lessonsWithQuiz(programID: programID, in: db)))
                try summaryRows(programID: programID, filter: filter, asOf: asOf, in: db, row)
            }
        }
    }

    /// A member of a class that had a session: copied out of the cursor's row, which the next
    /// step reuses.
    private struct ClassMember {
        var studentID: String
        var classID: String
        var schoolID: String
        var familyName: String
        var givenName: String
    }

    private func summaryRows(
        programID: String, filter: ReportFilter, asOf: String, in db: Database, _ row: (SummaryReportRow) throws -> Void
    ) throws {
        let scope = ProgramScope(programID: programID, schoolID: filter.schoolID, from: filter.from, to: filter.to)
        let members = try Row.fetchCursor(db, sql: """
            WITH taught AS (
                SELECT s.id, s.classId FROM session s
                JOIN lesson l ON l.id = s.lessonId
                JOIN schoolClass c ON c.id = s.classId
                WHERE l.programId = ?1 AND s.voidedAt IS NULL
                  AND (?2 IS NULL OR c.schoolId = ?2) AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
            ),
            member(classId, studentId) AS (
                SELECT e.classId, e.studentId FROM enrollment e WHERE e.classId IN (SELECT classId FROM taught)
                UNION
                SELECT t.classId, m.studentId FROM taught t JOIN mark m ON m.sessionId = t.id
            )
            SELECT mb.studentId, mb.classId, c.schoolId, st.familyName, st.givenName
            FROM member mb
            JOIN schoolClass c ON c.id = mb.classId
            JOIN student st ON st.id = mb.studentId
            ORDER BY mb.studentId, mb.classId
            """, arguments: [programID, filter.schoolID, filter.from, filter.to])
        let certificates = try Row.fetchCursor(db, sql: """
            SELECT studentId, code FROM certificate
            WHERE programId = ?1 AND issuedOn <= ?2
              AND revokedOn IS NULL AND (validUntil IS NULL OR validUntil >= ?2)
            ORDER BY studentId, issuedOn DESC, code
            """, arguments: [programID, asOf])

        func member(_ r: Row) -> ClassMember {
            ClassMember(studentID: r[0], classID: r[1], schoolID: r[2], familyName: r[3], givenName: r[4])
        }
        var pendingMember = try members.next().map(member)
        var pendingCertificate: (student: String, code: String)? = try certificates.next().map { ($0[0], $0[1]) }

        /// The current certificate of `student`, passing over those of students before it.
        func certificate(of student: String) throws -> String? {
            var found: String?
            while let pending = pendingCertificate, !Self.precedes(student, pending.student) {
                if pending.student == student && found == nil { found = pending.code }
                pendingCertificate = try certificates.next().map { ($0[0], $0[1]) }
            }
            return found
        }

        /// Emits the row of one student: their classes from `pendingMember` on, and `record`.
        func emit(_ first: ClassMember, record: StudentProgramRecord?) throws {
            var classIDs = [first.classID]
            var schoolIDs = [first.schoolID]
            pendingMember = try members.next().map(member)
            while let next = pendingMember, next.studentID == first.studentID {
                classIDs.append(next.classID)
                if !schoolIDs.contains(next.schoolID) { schoolIDs.append(next.schoolID) }
                pendingMember = try members.next().map(member)
            }
            try row(SummaryReportRow(
                programID: programID, classIDs: classIDs, schoolIDs: schoolIDs, studentID: first.studentID,
                familyName: first.familyName, givenName: first.givenName, attended: record?.attended ?? [],
                passed: record?.passed ?? [], counts: record?.counts ?? [:], certificateCode: try certificate(of: first.studentID)))
        }

        try forEachStudentRecord(scope, in: db) { record in
            // Students before this one have no status in range: enrolled, never marked.
            while let next = pendingMember, Self.precedes(next.studentID, record.studentID) {
                try emit(next, record: nil)
            }
            if let next = pendingMember, next.studentID == record.studentID {
                try emit(next, record: record)
            }
            // Otherwise the member query missed a marked student, which its UNION rules out.
        }
        while let next = pendingMember {
            try emit(next, record: nil)
        }
    }

    /// SQLite's order for text (`BINARY`: bytes, which for UTF-8 is code point order), which
    /// Swift's `<` on `String` is not for every id; merges of ordered cursors must agree with it.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    // MARK: certificates

    /// Calls `row` for every certificate (revoked and expired ones too), by issue date and code.
    /// The school is the one recorded when it was issued; `from`/`to` apply to the issue date.
    package func certificateReport(_ filter: ReportFilter, row: (CertificateReportRow) throws -> Void) throws {
        try streamingRead { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT k.code, k.programId, k.title, k.studentId, st.familyName, st.givenName, k.schoolId,
                       k.issuedOn, k.validUntil, k.revokedOn, k.revocationReason
                FROM certificate k JOIN student st ON st.id = k.studentId
                WHERE (?1 IS NULL OR k.programId = ?1) AND (?2 IS NULL OR k.schoolId = ?2)
                  AND (?3 IS NULL OR k.issuedOn >= ?3) AND (?4 IS NULL OR k.issuedOn <= ?4)
                ORDER BY k.issuedOn, k.code
                """, arguments: filter.arguments)
            while let r = try rows.next() {
                try row(CertificateReportRow(
                    code: r[0], programID: r[1], title: r[2], studentID: r[3], familyName: r[4], givenName: r[5],
                    schoolID: r[6], issuedOn: r[7], validUntil: r[8], revokedOn: r[9], revocationReason: r[10]))
            }
        }
    }

    // MARK: program report

    /// Calls `row` for each program and school, by program id and school id: every pair with a
    /// session that is not voided in the range, or a certificate issued in the range.
    ///
    /// For the program's sessions at the school's classes in the range (voided ones left out):
    /// - `sessions`: how many; `instructionMinutes`: their minutes added up;
    /// - `officers`: distinct officers who taught them;
    /// - `studentsEnrolled`: distinct students of the classes those sessions were taught to:
    ///   enrolled in one now, or with a status at one of the sessions (who has since left);
    /// - `studentsReached`: distinct students present or late at one of them at least once.
    ///
    /// `certificatesIssued`: certificates of the program issued in the range (by issue date) to
    /// students of that school (the school recorded on the certificate) and not revoked since;
    /// `certificatesRevoked`: those issued in the range that were revoked.
    ///
    /// The distinct student counts are worked out one school at a time (correlated subqueries
    /// that go school → classes → sessions → marks through indexes, the join order fixed with
    /// CROSS JOIN), so each sorts only one school's students. Counting them over every mark at
    /// once sorted the whole mark table, and grew faster than the data (0.7 s to 24 s for 20
    /// times the marks).
    package func programReport(_ filter: ReportFilter, row: (ProgramReportRow) throws -> Void) throws {
        try streamingRead { db in
            let rows = try Row.fetchCursor(db, sql: """
                WITH taught AS (
                    SELECT s.id, s.minutes, s.officerId, s.classId, l.programId, c.schoolId
                    FROM session s
                    JOIN lesson l ON l.id = s.lessonId
                    JOIN schoolClass c ON c.id = s.classId
                    WHERE s.voidedAt IS NULL
                      AND (?1 IS NULL OR l.programId = ?1) AND (?2 IS NULL OR c.schoolId = ?2)
                      AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
                ),
                sessionTotal AS (
                    SELECT programId, schoolId, count(*) AS sessions, sum(minutes) AS minutes,
                           count(DISTINCT officerId) AS officers
                    FROM taught GROUP BY programId, schoolId
                ),
                issued AS (
                    SELECT programId, schoolId, sum(revokedOn IS NULL) AS kept, sum(revokedOn IS NOT NULL) AS revoked
                    FROM certificate
                    WHERE schoolId IS NOT NULL
                      AND (?1 IS NULL OR programId = ?1) AND (?2 IS NULL OR schoolId = ?2)
                      AND (?3 IS NULL OR issuedOn >= ?3) AND (?4 IS NULL OR issuedOn <= ?4)
                    GROUP BY programId, schoolId
                ),
                pair AS (
                    SELECT programId, schoolId FROM sessionTotal UNION SELECT programId, schoolId FROM issued
                )
                SELECT p.programId, p.schoolId, coalesce(t.sessions, 0), coalesce(t.minutes, 0), coalesce(t.officers, 0),
                       (SELECT count(*) FROM (
                            SELECT e.studentId
                            FROM schoolClass c CROSS JOIN enrollment e ON e.classId = c.id
                            WHERE c.schoolId = p.schoolId AND EXISTS (
                                SELECT 1 FROM session s CROSS JOIN lesson l ON l.id = s.lessonId
                                WHERE s.classId = c.id AND s.voidedAt IS NULL AND l.programId = p.programId
                                  AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4))
                            UNION
                            SELECT m.studentId
                            FROM schoolClass c
                            CROSS JOIN session s ON s.classId = c.id AND s.voidedAt IS NULL
                            CROSS JOIN lesson l ON l.id = s.lessonId AND l.programId = p.programId
                            CROSS JOIN mark m ON m.sessionId = s.id
                            WHERE c.schoolId = p.schoolId
                              AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4))),
                       (SELECT count(DISTINCT m.studentId)
                            FROM schoolClass c
                            CROSS JOIN session s ON s.classId = c.id AND s.voidedAt IS NULL
                            CROSS JOIN lesson l ON l.id = s.lessonId AND l.programId = p.programId
                            CROSS JOIN mark m ON m.sessionId = s.id AND m.status IN ('present', 'late')
                            WHERE c.schoolId = p.schoolId
                              AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)),
                       coalesce(i.kept, 0), coalesce(i.revoked, 0)
                FROM pair p
                LEFT JOIN sessionTotal t ON t.programId = p.programId AND t.schoolId = p.schoolId
                LEFT JOIN issued i ON i.programId = p.programId AND i.schoolId = p.schoolId
                ORDER BY p.programId, p.schoolId
                """, arguments: filter.arguments)
            while let r = try rows.next() {
                try row(ProgramReportRow(
                    programID: r[0], schoolID: r[1], sessions: r[2], instructionMinutes: r[3], officers: r[4],
                    studentsEnrolled: r[5], studentsReached: r[6], certificatesIssued: r[7], certificatesRevoked: r[8]))
            }
        }
    }
}

extension ReportFilter {
    /// The four filter values as `?1`…`?4` of the report queries.
    fileprivate var arguments: StatementArguments { [programID, schoolID, from, to] }
}
