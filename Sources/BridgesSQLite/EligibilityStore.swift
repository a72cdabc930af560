import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// The lessons of a program whose latest version has a quiz (certificates and the summary
    /// report both ask, inside their own transactions).
    static func lessonsWithQuiz(programID: String, in db: Database) throws -> Set<String> {
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

    /// Calls `body` once per student who has a mark in a non-voided session of the program within
    /// the scope, in student id order (SQLite's, by bytes), with what they attended and passed.
    /// Streams: one student's record in memory at a time.
    package func forEachStudentRecord(_ scope: ProgramScope, in db: Database, _ body: (StudentProgramRecord) throws -> Void) throws {
        // One pass over marks, one over quiz attempts, both ordered by student, merged. The rows
        // are added up here rather than grouped by SQLite: a program's marks are nearly all one
        // per student and lesson, so grouping them only sorted them twice (ordered by student
        // alone, SQLite sorts once, on a short key). Both are read through the C API: this runs
        // over every mark of a program, a million for a district.
        let marks = try DirectStatement(db, """
            SELECT m.studentId, s.lessonId, m.status, s.date, c.schoolId
            FROM session s
            JOIN lesson l ON l.id = s.lessonId
            JOIN schoolClass c ON c.id = s.classId
            JOIN mark m ON m.sessionId = s.id
            WHERE l.programId = ?1 AND s.voidedAt IS NULL
              AND (?2 IS NULL OR c.schoolId = ?2) AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
            ORDER BY m.studentId
            """)
        // A quiz counts as passed when the best attempt at it passed: the largest `passed` of a
        // student's attempts at one lesson, whose rows are next to each other here.
        let quizzes = try DirectStatement(db, """
            SELECT q.studentId, s.lessonId, q.passed
            FROM session s
            JOIN lesson l ON l.id = s.lessonId
            JOIN schoolClass c ON c.id = s.classId
            JOIN quizAttempt q ON q.sessionId = s.id AND q.voidedAt IS NULL
            WHERE l.programId = ?1 AND s.voidedAt IS NULL
              AND (?2 IS NULL OR c.schoolId = ?2) AND (?3 IS NULL OR s.date >= ?3) AND (?4 IS NULL OR s.date <= ?4)
            ORDER BY q.studentId, s.lessonId
            """)
        for statement in [marks, quizzes] {
            statement.bind(1, scope.programID)
            statement.bind(2, scope.schoolID)
            statement.bind(3, scope.from)
            statement.bind(4, scope.to)
        }
        defer {
            marks.reset()
            quizzes.reset()
        }
        var quizRow = try quizzes.step()
        var current: StudentProgramRecord?
        func flush() throws {
            guard var record = current else { return }
            // Attempts of students before this one belong to no record (no mark in scope).
            while quizRow, quizzes.textPrecedes(0, record.studentID) {
                quizRow = try quizzes.step()
            }
            while quizRow, quizzes.textEquals(0, record.studentID) {
                let lesson = quizzes.text(1)
                var best = quizzes.int64(2)
                quizRow = try quizzes.step()
                while quizRow, quizzes.textEquals(0, record.studentID), quizzes.textEquals(1, lesson) {
                    best = max(best, quizzes.int64(2))
                    quizRow = try quizzes.step()
                }
                if best == 1 { record.passed.insert(lesson) }
            }
            try body(record)
            current = nil
        }
        while try marks.step() {
            if current.map({ !marks.textEquals(0, $0.studentID) }) ?? true {
                try flush()
                current = StudentProgramRecord(studentID: marks.text(0), attended: [], passed: [], counts: [:])
            }
            let status = AttendanceStatus(rawValue: marks.text(2)) ?? .absent
            current!.counts[status, default: 0] += 1
            if status.attended { current!.attended.insert(marks.text(1)) }
            let date = marks.text(3)
            if current!.latestSessionDate.map({ $0.utf8.lexicographicallyPrecedes(date.utf8) }) ?? true {
                current!.latestSessionDate = date
                current!.latestSchoolID = marks.text(4)
            }
        }
        try flush()
    }
}
