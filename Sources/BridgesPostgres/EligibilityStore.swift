import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The lessons of a program whose latest version has a quiz.
    static func lessonsWithQuiz(programID: String, on connection: PostgresConnection) async throws -> Set<String> {
        var result: Set<String> = []
        for try await (id, content) in try await connection.rows("""
            SELECT l.id, v.content FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion
            WHERE l.programId = \(programID)
            """).decode((String, String).self) {
            if try decodeContent(Lesson.self, content).quiz != nil { result.insert(id) }
        }
        return result
    }

    /// Calls `body` with the records of every student who has a mark in a non-voided session of
    /// the program within the scope, in student id order (by bytes, as SQLite), a batch at a time
    /// through a cursor: memory holds one batch however many students, and `body` may use the
    /// connection between batches. PostgreSQL adds each student's marks up (one pass, grouped by
    /// student); a quiz counts as passed when the best attempt at it passed.
    static func forEachStudentRecordBatch(
        _ scope: ProgramScope, on connection: PostgresConnection, _ body: ([StudentProgramRecord]) async throws -> Void
    ) async throws {
        let query: PostgresQuery = """
            WITH scoped AS (
                SELECT s.id, s.lessonId, s.date, c.schoolId FROM session s
                JOIN lesson l ON l.id = s.lessonId
                JOIN schoolClass c ON c.id = s.classId
                WHERE l.programId = \(scope.programID) AND s.voidedAt IS NULL
                  AND (\(scope.schoolID)::text IS NULL OR c.schoolId = \(scope.schoolID))
                  AND (\(scope.from)::text IS NULL OR s.date >= \(scope.from)) AND (\(scope.to)::text IS NULL OR s.date <= \(scope.to))
            ), marks AS (
                SELECT m.studentId,
                       array_agg(DISTINCT sc.lessonId) FILTER (WHERE m.status IN ('present', 'late')) AS attended,
                       count(*) FILTER (WHERE m.status = 'present') AS present, count(*) FILTER (WHERE m.status = 'late') AS late,
                       count(*) FILTER (WHERE m.status = 'absent') AS absent, count(*) FILTER (WHERE m.status = 'excused') AS excused,
                       max(sc.date) AS latestDate, (array_agg(sc.schoolId ORDER BY sc.date DESC))[1] AS latestSchool
                FROM scoped sc JOIN mark m ON m.sessionId = sc.id
                GROUP BY m.studentId
            ), passed AS (
                SELECT studentId, array_agg(lessonId) AS lessons FROM (
                    SELECT q.studentId, sc.lessonId FROM scoped sc JOIN quizAttempt q ON q.sessionId = sc.id AND q.voidedAt IS NULL
                    GROUP BY q.studentId, sc.lessonId HAVING max(q.passed) = 1
                ) best GROUP BY studentId
            )
            SELECT k.studentId, k.attended, k.present, k.late, k.absent, k.excused, k.latestDate, k.latestSchool, p.lessons
            FROM marks k LEFT JOIN passed p ON p.studentId = k.studentId
            ORDER BY k.studentId
            """
        try await connection.forEachBatch(query) { rows in
            var records: [StudentProgramRecord] = []
            records.reserveCapacity(rows.count)
            for row in rows {
                let r = row.makeRandomAccess()
                var counts: [AttendanceStatus: Int] = [:]
                for (offset, status) in [AttendanceStatus.present, .late, .absent, .excused].enumerated() {
                    let count = try r.at(2 + offset, Int.self)
                    if count > 0 { counts[status] = count }
                }
                records.append(StudentProgramRecord(
                    studentID: try r.at(0), attended: Set(try r.at(1, [String]?.self) ?? []), passed: Set(try r.at(8, [String]?.self) ?? []),
                    counts: counts, latestSchoolID: try r.at(7), latestSessionDate: try r.at(6)))
            }
            try await body(records)
        }
    }
}
