import BridgesCore
import Foundation
import GRDB

/// A student's record against one program, as certificates and the summary report need it.
package struct StudentProgramRecord: Sendable {
    package var studentID: String
    /// Lessons of the program the student was present or late at (non-voided sessions).
    package var attended: Set<String>
    /// Lessons whose quiz the student passed on their best attempt.
    package var passed: Set<String>
    /// Statuses over every session of the program, for the summary report.
    package var counts: [AttendanceStatus: Int]
}

/// Which students and sessions count: one program, optionally one school and a date range.
package struct ProgramScope: Sendable {
    package var programID: String
    package var schoolID: String?
    package var from: String?
    package var to: String?

    package init(programID: String, schoolID: String? = nil, from: String? = nil, to: String? = nil) {
        self.programID = programID
        self.schoolID = schoolID
        self.from = from
        self.to = to
    }
}

extension BridgesDatabase {
    /// The lessons of a program whose latest version has a quiz.
    package func lessonsWithQuiz(programID: String) throws(StoreError) -> Set<String> {
        try read { db in
            var result: Set<String> = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT l.id, v.content FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion WHERE l.programId = ?
                """, arguments: [programID])
            while let row = try rows.next() {
                let lesson = try JSONDecoder().decode(Lesson.self, from: Data((row[1] as String).utf8))
                if lesson.quiz != nil { result.insert(row[0]) }
            }
            return result
        }
    }

    /// Calls `body` once per student who has a mark in a non-voided session of the program within
    /// the scope, in student id order, with what they attended and passed. Streams: one student's
    /// record in memory at a time.
    package func forEachStudentRecord(_ scope: ProgramScope, in db: Database, _ body: (StudentProgramRecord) throws -> Void) throws {
        // One pass over marks, one over quiz attempts, both ordered by student, merged.
        let marks = try Row.fetchCursor(db, sql: """
            SELECT m.studentId, s.lessonId, m.status, count(*)
            FROM session s
            JOIN lesson l ON l.id = s.lessonId
            JOIN schoolClass c ON c.id = s.classId
            JOIN mark m ON m.sessionId = s.id
            WHERE l.programId = ?1 AND s.voidedAt IS NULL
              AND (?2 IS NULL OR c.schoolId = ?2) AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
            GROUP BY m.studentId, s.lessonId, m.status
            ORDER BY m.studentId
            """, arguments: [scope.programID, scope.schoolID, scope.from, scope.to])
        let quizzes = try Row.fetchCursor(db, sql: """
            SELECT q.studentId, s.lessonId, max(q.passed)
            FROM session s
            JOIN lesson l ON l.id = s.lessonId
            JOIN schoolClass c ON c.id = s.classId
            JOIN quizAttempt q ON q.sessionId = s.id
            WHERE l.programId = ?1 AND s.voidedAt IS NULL
              AND (?2 IS NULL OR c.schoolId = ?2) AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
            GROUP BY q.studentId, s.lessonId
            ORDER BY q.studentId
            """, arguments: [scope.programID, scope.schoolID, scope.from, scope.to])
        var pendingQuiz = try quizzes.next()
        var current: StudentProgramRecord?
        func flush() throws {
            guard var record = current else { return }
            while let row = pendingQuiz, (row[0] as String) <= record.studentID {
                if (row[0] as String) == record.studentID, (row[2] as Int) == 1 { record.passed.insert(row[1]) }
                pendingQuiz = try quizzes.next()
            }
            try body(record)
            current = nil
        }
        while let row = try marks.next() {
            let student: String = row[0]
            if current?.studentID != student {
                try flush()
                current = StudentProgramRecord(studentID: student, attended: [], passed: [], counts: [:])
            }
            let status = AttendanceStatus(rawValue: row[2]) ?? .absent
            let count: Int = row[3]
            current!.counts[status, default: 0] += count
            if status.attended { current!.attended.insert(row[1]) }
        }
        try flush()
    }
}
