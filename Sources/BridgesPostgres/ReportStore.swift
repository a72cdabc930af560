import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

/// The reports, each one read streamed row by row from PostgreSQL (backpressure holds the rows
/// the writer has not taken yet on the server's side): memory stays flat however many rows.
/// The summary is one query, grouped by student in PostgreSQL, where SQLite's store merges three
/// ordered cursors; the rows and their order are the same.
extension PostgresStore {
    package func programExists(_ id: String) async throws(StoreError) -> Bool {
        try await read { connection in try await connection.value("SELECT 1::bigint FROM program WHERE id = \(id)", as: Int.self) != nil }
    }

    package func schoolExists(_ id: String) async throws(StoreError) -> Bool {
        try await read { connection in try await connection.value("SELECT 1::bigint FROM school WHERE id = \(id)", as: Int.self) != nil }
    }

    /// Every student's status at every session that is not voided, by session date, session id
    /// and student id.
    package func attendanceReport(_ filter: ReportFilter, row: (AttendanceReportRow) throws -> Void) async throws {
        try await streamingRead { connection in
            try await connection.run("SET LOCAL jit = off")
            let rows = try await connection.rows("""
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
                  AND (\(filter.programID)::text IS NULL OR l.programId = \(filter.programID))
                  AND (\(filter.schoolID)::text IS NULL OR c.schoolId = \(filter.schoolID))
                  AND (\(filter.from)::text IS NULL OR s.date >= \(filter.from)) AND (\(filter.to)::text IS NULL OR s.date <= \(filter.to))
                ORDER BY s.date, s.id, m.studentId
                """)
            // A session's columns repeat on each of its students' rows: read once per session.
            var current: AttendanceReportRow?
            for try await postgresRow in rows {
                let r = postgresRow.makeRandomAccess()
                let sessionID: Int64 = try r.at(0)
                if current?.sessionID == sessionID {
                    current!.studentID = try r.at(11)
                    current!.familyName = try r.at(12)
                    current!.givenName = try r.at(13)
                    current!.grade = try r.at(14)
                    current!.status = try r.at(15)
                } else {
                    current = AttendanceReportRow(
                        sessionID: sessionID, sessionDate: try r.at(1), programID: try r.at(2), lessonID: try r.at(3), lessonVersion: try r.at(4),
                        lessonTitle: try r.at(5), schoolID: try r.at(6), classID: try r.at(7), officerID: try r.at(8), officerName: try r.at(9),
                        minutes: try r.at(10), studentID: try r.at(11), familyName: try r.at(12), givenName: try r.at(13), grade: try r.at(14),
                        status: try r.at(15), recordedAt: try r.at(16), recordedBy: try r.at(17))
                }
                try row(current!)
            }
        }
    }

    /// The summary report: per program (the filter's, else every stored one, by id), `program`
    /// once, then `row` for each student of every class that had a session of the program in
    /// the filter (enrolled now, or with a status at one of those sessions), in student id order.
    /// See SQLite's store for what each column counts; this is the same, in one query.
    package func summaryReport(
        _ filter: ReportFilter, asOf: String,
        program: (SummaryReportProgram) throws -> Void, row: (SummaryReportRow) throws -> Void
    ) async throws {
        try await streamingRead { connection in
            let programIDs = if let id = filter.programID { [id] } else {
                try await connection.values("SELECT id FROM program ORDER BY id", as: String.self)
            }
            for programID in programIDs {
                guard let content = try await connection.value("""
                    SELECT v.content FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion
                    WHERE p.id = \(programID)
                    """, as: String.self) else { continue }
                let decoded = try Self.decodeContent(Program.self, content)
                try program(SummaryReportProgram(program: decoded, lessonsWithQuiz: try await Self.lessonsWithQuiz(programID: programID, on: connection)))
                let rows = try await connection.rows("""
                    WITH taught AS (
                        SELECT s.id, s.classId, s.lessonId, s.date FROM session s
                        JOIN lesson l ON l.id = s.lessonId
                        JOIN schoolClass c ON c.id = s.classId
                        WHERE l.programId = \(programID) AND s.voidedAt IS NULL
                          AND (\(filter.schoolID)::text IS NULL OR c.schoolId = \(filter.schoolID))
                          AND (\(filter.from)::text IS NULL OR s.date >= \(filter.from)) AND (\(filter.to)::text IS NULL OR s.date <= \(filter.to))
                    ), member AS (
                        SELECT e.classId, e.studentId FROM enrollment e WHERE e.classId IN (SELECT classId FROM taught)
                        UNION
                        SELECT t.classId, m.studentId FROM taught t JOIN mark m ON m.sessionId = t.id
                    ), members AS (
                        SELECT mb.studentId, array_agg(mb.classId ORDER BY mb.classId) AS classes,
                               array_agg(c.schoolId ORDER BY mb.classId) AS schools
                        FROM member mb JOIN schoolClass c ON c.id = mb.classId
                        GROUP BY mb.studentId
                    ), marks AS (
                        SELECT m.studentId,
                               array_agg(DISTINCT t.lessonId) FILTER (WHERE m.status IN ('present', 'late')) AS attended,
                               count(*) FILTER (WHERE m.status = 'present') AS present, count(*) FILTER (WHERE m.status = 'late') AS late,
                               count(*) FILTER (WHERE m.status = 'absent') AS absent, count(*) FILTER (WHERE m.status = 'excused') AS excused
                        FROM taught t JOIN mark m ON m.sessionId = t.id
                        GROUP BY m.studentId
                    ), passed AS (
                        SELECT studentId, array_agg(lessonId) AS lessons FROM (
                            SELECT q.studentId, t.lessonId FROM taught t JOIN quizAttempt q ON q.sessionId = t.id AND q.voidedAt IS NULL
                            GROUP BY q.studentId, t.lessonId HAVING max(q.passed) = 1
                        ) best GROUP BY studentId
                    ), current AS (
                        SELECT DISTINCT ON (studentId) studentId, code FROM certificate
                        WHERE programId = \(programID) AND issuedOn <= \(asOf) AND revokedOn IS NULL AND (validUntil IS NULL OR validUntil >= \(asOf))
                        ORDER BY studentId, issuedOn DESC, code
                    )
                    SELECT ms.studentId, ms.classes, ms.schools, st.familyName, st.givenName,
                           k.attended, coalesce(k.present, 0), coalesce(k.late, 0), coalesce(k.absent, 0), coalesce(k.excused, 0),
                           p.lessons, cu.code
                    FROM members ms
                    JOIN student st ON st.id = ms.studentId
                    LEFT JOIN marks k ON k.studentId = ms.studentId
                    LEFT JOIN passed p ON p.studentId = ms.studentId
                    LEFT JOIN current cu ON cu.studentId = ms.studentId
                    ORDER BY ms.studentId
                    """)
                for try await postgresRow in rows {
                    let r = postgresRow.makeRandomAccess()
                    var schoolIDs: [String] = []
                    for school in try r.at(2, [String].self) where !schoolIDs.contains(school) { schoolIDs.append(school) }
                    var counts: [AttendanceStatus: Int] = [:]
                    for (offset, status) in [AttendanceStatus.present, .late, .absent, .excused].enumerated() {
                        let count = try r.at(6 + offset, Int.self)
                        if count > 0 { counts[status] = count }
                    }
                    try row(SummaryReportRow(
                        programID: programID, classIDs: try r.at(1), schoolIDs: schoolIDs, studentID: try r.at(0),
                        familyName: try r.at(3), givenName: try r.at(4), attended: Set(try r.at(5, [String]?.self) ?? []),
                        passed: Set(try r.at(10, [String]?.self) ?? []), counts: counts, certificateCode: try r.at(11)))
                }
            }
        }
    }

    /// Every certificate (revoked and expired ones too), by issue date and code.
    package func certificateReport(_ filter: ReportFilter, row: (CertificateReportRow) throws -> Void) async throws {
        try await streamingRead { connection in
            let rows = try await connection.rows("""
                SELECT k.code, k.programId, k.title, k.studentId, st.familyName, st.givenName, k.schoolId,
                       k.issuedOn, k.validUntil, k.revokedOn, k.revocationReason
                FROM certificate k JOIN student st ON st.id = k.studentId
                WHERE (\(filter.programID)::text IS NULL OR k.programId = \(filter.programID))
                  AND (\(filter.schoolID)::text IS NULL OR k.schoolId = \(filter.schoolID))
                  AND (\(filter.from)::text IS NULL OR k.issuedOn >= \(filter.from)) AND (\(filter.to)::text IS NULL OR k.issuedOn <= \(filter.to))
                ORDER BY k.issuedOn, k.code
                """)
            for try await postgresRow in rows {
                let r = postgresRow.makeRandomAccess()
                try row(CertificateReportRow(
                    code: try r.at(0), programID: try r.at(1), title: try r.at(2), studentID: try r.at(3), familyName: try r.at(4),
                    givenName: try r.at(5), schoolID: try r.at(6), issuedOn: try r.at(7), validUntil: try r.at(8), revokedOn: try r.at(9),
                    revocationReason: try r.at(10)))
            }
        }
    }

    /// Per program and school, by program id and school id: every pair with a session that is
    /// not voided in the range, or a certificate issued in the range (see SQLite's store for what
    /// each count is).
    package func programReport(_ filter: ReportFilter, row: (ProgramReportRow) throws -> Void) async throws {
        try await streamingRead { connection in
            let (program, school, from, to) = (filter.programID, filter.schoolID, filter.from, filter.to)
            let rows = try await connection.rows("""
                WITH taught AS (
                    SELECT s.id, s.minutes, s.officerId, s.classId, l.programId, c.schoolId
                    FROM session s
                    JOIN lesson l ON l.id = s.lessonId
                    JOIN schoolClass c ON c.id = s.classId
                    WHERE s.voidedAt IS NULL
                      AND (\(program)::text IS NULL OR l.programId = \(program)) AND (\(school)::text IS NULL OR c.schoolId = \(school))
                      AND (\(from)::text IS NULL OR s.date >= \(from)) AND (\(to)::text IS NULL OR s.date <= \(to))
                ),
                sessionTotal AS (
                    SELECT programId, schoolId, count(*) AS sessions, sum(minutes)::bigint AS minutes, count(DISTINCT officerId) AS officers
                    FROM taught GROUP BY programId, schoolId
                ),
                issued AS (
                    SELECT programId, schoolId, count(*) FILTER (WHERE revokedOn IS NULL) AS kept, count(*) FILTER (WHERE revokedOn IS NOT NULL) AS revoked
                    FROM certificate
                    WHERE schoolId IS NOT NULL
                      AND (\(program)::text IS NULL OR programId = \(program)) AND (\(school)::text IS NULL OR schoolId = \(school))
                      AND (\(from)::text IS NULL OR issuedOn >= \(from)) AND (\(to)::text IS NULL OR issuedOn <= \(to))
                    GROUP BY programId, schoolId
                ),
                pair AS (
                    SELECT programId, schoolId FROM sessionTotal UNION SELECT programId, schoolId FROM issued
                )
                SELECT p.programId, p.schoolId, coalesce(t.sessions, 0), coalesce(t.minutes, 0), coalesce(t.officers, 0),
                       (SELECT count(*) FROM (
                            SELECT e.studentId
                            FROM schoolClass c JOIN enrollment e ON e.classId = c.id
                            WHERE c.schoolId = p.schoolId AND EXISTS (
                                SELECT 1 FROM session s JOIN lesson l ON l.id = s.lessonId
                                WHERE s.classId = c.id AND s.voidedAt IS NULL AND l.programId = p.programId
                                  AND (\(from)::text IS NULL OR s.date >= \(from)) AND (\(to)::text IS NULL OR s.date <= \(to)))
                            UNION
                            SELECT m.studentId
                            FROM schoolClass c
                            JOIN session s ON s.classId = c.id AND s.voidedAt IS NULL
                            JOIN lesson l ON l.id = s.lessonId AND l.programId = p.programId
                            JOIN mark m ON m.sessionId = s.id
                            WHERE c.schoolId = p.schoolId
                              AND (\(from)::text IS NULL OR s.date >= \(from)) AND (\(to)::text IS NULL OR s.date <= \(to))) AS enrolled),
                       (SELECT count(DISTINCT m.studentId)
                            FROM schoolClass c
                            JOIN session s ON s.classId = c.id AND s.voidedAt IS NULL
                            JOIN lesson l ON l.id = s.lessonId AND l.programId = p.programId
                            JOIN mark m ON m.sessionId = s.id AND m.status IN ('present', 'late')
                            WHERE c.schoolId = p.schoolId
                              AND (\(from)::text IS NULL OR s.date >= \(from)) AND (\(to)::text IS NULL OR s.date <= \(to))),
                       coalesce(i.kept, 0), coalesce(i.revoked, 0)
                FROM pair p
                LEFT JOIN sessionTotal t ON t.programId = p.programId AND t.schoolId = p.schoolId
                LEFT JOIN issued i ON i.programId = p.programId AND i.schoolId = p.schoolId
                ORDER BY p.programId, p.schoolId
                """)
            for try await postgresRow in rows {
                let r = postgresRow.makeRandomAccess()
                try row(ProgramReportRow(
                    programID: try r.at(0), schoolID: try r.at(1), sessions: try r.at(2), instructionMinutes: try r.at(3), officers: try r.at(4),
                    studentsEnrolled: try r.at(5), studentsReached: try r.at(6), certificatesIssued: try r.at(7), certificatesRevoked: try r.at(8)))
            }
        }
    }
}
