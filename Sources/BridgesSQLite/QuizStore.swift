import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// The quiz of a session's lesson version, read without the write lock, so that answers can be
    /// checked before anything is written; or why the session takes no attempts.
    package func quiz(session id: Int64) throws(StoreError) -> Result<Quiz, SessionRefusal> {
        try read { db -> Result<Quiz, SessionRefusal> in
            guard let session = try Row.fetchOne(db, sql: """
                SELECT s.voidedAt, s.voidReason, v.content
                FROM session s JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion WHERE s.id = ?
                """, arguments: [id]) else { return .failure(.unknownSession(id)) }
            if let _: String = session[0] { return .failure(.voided(id, reason: session[1] ?? "")) }
            let lesson = try JSONDecoder().decode(Lesson.self, from: Data((session[2] as String).utf8))
            guard let quiz = lesson.quiz else { return .failure(.noQuiz(lesson: lesson.id, version: lesson.version)) }
            return .success(quiz)
        }
    }

    /// Marks and stores attempts at a session's quiz, all of them or (on any refusal) none.
    package func recordQuizAttempts(session id: Int64, attempts: [QuizAttemptRequest], context: WriteContext) throws(StoreError) -> Result<[RecordedQuizAttempt], SessionRefusals> {
        do {
            return try writer.write { db -> Result<[RecordedQuizAttempt], SessionRefusals> in
                guard let session = try Row.fetchOne(db, sql: """
                    SELECT s.lessonId, s.lessonVersion, s.voidedAt, s.voidReason, v.content
                    FROM session s JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion WHERE s.id = ?
                    """, arguments: [id]) else { return .failure(SessionRefusals([.unknownSession(id)])) }
                if let _: String = session[2] { return .failure(SessionRefusals([.voided(id, reason: session[3] ?? "")])) }
                let lesson = try JSONDecoder().decode(Lesson.self, from: Data((session[4] as String).utf8))
                guard let quiz = lesson.quiz else { return .failure(SessionRefusals([.noQuiz(lesson: lesson.id, version: lesson.version)])) }

                var refusals: [SessionRefusal] = []
                var recorded: [RecordedQuizAttempt] = []
                let statusOf = try db.cachedStatement(sql: "SELECT status FROM mark WHERE sessionId = ? AND studentId = ?")
                let nextAttempt = try db.cachedStatement(sql: "SELECT coalesce(max(attempt), 0) + 1 FROM quizAttempt WHERE sessionId = ? AND studentId = ?")
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO quizAttempt (sessionId, studentId, attempt, responses, earned, possible, passed, recordedAt, recordedBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                // The best attempt at this lesson's quiz across every session of it that is not voided
                // (a make-up session's retake counts).
                let best = try db.cachedStatement(sql: """
                    SELECT max(q.earned * 1.0 / q.possible), max(q.passed) FROM quizAttempt q JOIN session s ON s.id = q.sessionId
                    WHERE s.lessonId = ? AND s.voidedAt IS NULL AND q.voidedAt IS NULL AND q.studentId = ?
                    """)
                for request in attempts {
                    let status = try String.fetchOne(statusOf, arguments: [id, request.studentID]).flatMap(AttendanceStatus.init(rawValue:))
                    guard let status, status.attended else {
                        refusals.append(.notAttended(student: request.studentID, status: status, line: request.line))
                        continue
                    }
                    let mark: QuizMark
                    switch Result(catching: { () throws(QuizResponseProblem) -> QuizMark in try quiz.mark(request.responses) }) {
                    case .success(let marked): mark = marked
                    case .failure(let problem):
                        refusals.append(.unmarkable(student: request.studentID, problem: problem, line: request.line))
                        continue
                    }
                    let attempt = try Int.fetchOne(nextAttempt, arguments: [id, request.studentID]) ?? 1
                    let responses = String(decoding: try JSONEncoder.sorted.encode(request.responses), as: UTF8.self)
                    try insert.execute(arguments: [id, request.studentID, attempt, responses, mark.earned, mark.possible, mark.passed, context.at, context.actor])
                    let row = try Row.fetchOne(best, arguments: [lesson.id, request.studentID])
                    recorded.append(RecordedQuizAttempt(
                        studentID: request.studentID, attempt: attempt, mark: mark,
                        bestPercent: ((row?[0] as Double?) ?? 0) * 100, bestPassed: ((row?[1] as Int?) ?? 0) == 1))
                }
                if !refusals.isEmpty { throw RefusedQuiz(refusals: refusals) }
                try Self.record(AuditEvent(
                    at: context.at, actor: context.actor, action: "quiz", entity: "session", entityId: String(id),
                    detail: "\(recorded.count) attempt\(recorded.count == 1 ? "" : "s"): " + recorded.map { "\($0.studentID) \($0.mark.earned)/\($0.mark.possible) (attempt \($0.attempt))" }.joined(separator: ", ")), in: db)
                return .success(recorded)
            }
        } catch let refused as RefusedQuiz {
            return .failure(SessionRefusals(refused.refusals))
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
    }

    /// Voids one attempt: it stays stored with who voided it, when and why (and its old score in
    /// the audit trail), and no longer counts for the best score, eligibility or reports.
    package func voidQuizAttempt(session id: Int64, student: String, attempt: Int, reason: String, context: WriteContext) throws(StoreError) -> Result<VoidedAttempt, QuizVoidRefusal> {
        try write { db -> Result<VoidedAttempt, QuizVoidRefusal> in
            guard let session = try Row.fetchOne(db, sql: "SELECT voidedAt, voidReason FROM session WHERE id = ?", arguments: [id]) else {
                return .failure(.session(.unknownSession(id)))
            }
            if let _: String = session[0] { return .failure(.session(.voided(id, reason: session[1] ?? ""))) }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, earned, possible, passed, voidedAt, voidedBy, voidReason FROM quizAttempt
                WHERE sessionId = ? AND studentId = ? AND attempt = ?
                """, arguments: [id, student, attempt]) else {
                let numbers = try Int.fetchAll(db, sql: "SELECT attempt FROM quizAttempt WHERE sessionId = ? AND studentId = ? ORDER BY attempt", arguments: [id, student])
                return .failure(.noAttempt(student: student, session: id, attempt: attempt, attempts: numbers))
            }
            if let at: String = row[4] {
                return .failure(.alreadyVoided(student: student, session: id, attempt: attempt, at: at, by: row[5] ?? "", reason: row[6] ?? ""))
            }
            let rowID: Int64 = row[0]
            let earned: Int = row[1], possible: Int = row[2], passed: Bool = row[3]
            try db.execute(sql: "UPDATE quizAttempt SET voidedAt = ?, voidedBy = ?, voidReason = ? WHERE id = ?",
                           arguments: [context.at, context.actor, reason, rowID])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "void quiz attempt", entity: "session", entityId: String(id),
                field: "quiz attempt \(attempt) of \(student)", oldValue: "\(earned)/\(possible) \(passed ? "passed" : "not passed")", newValue: "voided",
                reason: reason), in: db)
            return .success(VoidedAttempt(earned: earned, possible: possible, passed: passed))
        }
    }

    /// Thrown inside the transaction so that nothing of a refused sheet is kept.
    private struct RefusedQuiz: Error {
        var refusals: [SessionRefusal]
    }
}

extension JSONEncoder {
    /// Keys sorted, so equal values give equal text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
