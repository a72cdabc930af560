import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The quiz of a session's lesson version, read without the writers' lock, so that answers
    /// can be checked before anything is written; or why the session takes no attempts.
    package func quiz(session id: Int64) async throws(StoreError) -> Result<Quiz, SessionRefusal> {
        try await read { connection -> Result<Quiz, SessionRefusal> in
            guard let (voidedAt, voidReason, content) = try await connection.first("""
                SELECT s.voidedAt, s.voidReason, v.content
                FROM session s JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion WHERE s.id = \(id)
                """, as: (String?, String?, String).self) else { return .failure(.unknownSession(id)) }
            if voidedAt != nil { return .failure(.voided(id, reason: voidReason ?? "")) }
            let lesson = try Self.decodeContent(Lesson.self, content)
            guard let quiz = lesson.quiz else { return .failure(.noQuiz(lesson: lesson.id, version: lesson.version)) }
            return .success(quiz)
        }
    }

    /// Marks and stores attempts at a session's quiz, all of them or (on any refusal) none.
    package func recordQuizAttempts(session id: Int64, attempts: [QuizAttemptRequest], context: WriteContext) async throws(StoreError) -> Result<[RecordedQuizAttempt], SessionRefusals> {
        try await write(keepingIf: { if case .success = $0 { true } else { false } }) { connection -> Result<[RecordedQuizAttempt], SessionRefusals> in
            guard let (lessonID, voidedAt, voidReason, content) = try await connection.first("""
                SELECT s.lessonId, s.voidedAt, s.voidReason, v.content
                FROM session s JOIN lessonVersion v ON v.lessonId = s.lessonId AND v.version = s.lessonVersion WHERE s.id = \(id)
                """, as: (String, String?, String?, String).self) else { return .failure(SessionRefusals([.unknownSession(id)])) }
            if voidedAt != nil { return .failure(SessionRefusals([.voided(id, reason: voidReason ?? "")])) }
            let lesson = try Self.decodeContent(Lesson.self, content)
            guard let quiz = lesson.quiz else { return .failure(SessionRefusals([.noQuiz(lesson: lesson.id, version: lesson.version)])) }

            var refusals: [SessionRefusal] = []
            var recorded: [RecordedQuizAttempt] = []
            for request in attempts {
                let status = try await connection.value(
                    "SELECT status FROM mark WHERE sessionId = \(id) AND studentId = \(request.studentID)", as: String.self
                ).flatMap(AttendanceStatus.init(rawValue:))
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
                let attempt = try await connection.value(
                    "SELECT coalesce(max(attempt), 0) + 1 FROM quizAttempt WHERE sessionId = \(id) AND studentId = \(request.studentID)",
                    as: Int.self) ?? 1
                let responses = String(decoding: try JSONEncoder.sortedKeys.encode(request.responses), as: UTF8.self)
                try await connection.run("""
                    INSERT INTO quizAttempt (sessionId, studentId, attempt, responses, earned, possible, passed, recordedAt, recordedBy)
                    VALUES (\(id), \(request.studentID), \(attempt), \(responses), \(mark.earned), \(mark.possible), \(mark.passed ? 1 : 0),
                            \(context.at), \(context.actor))
                    """)
                // The best attempt at this lesson's quiz across every session of it that is not
                // voided (a make-up session's retake counts).
                let best = try await connection.first("""
                    SELECT max(q.earned::float8 / q.possible), max(q.passed) FROM quizAttempt q JOIN session s ON s.id = q.sessionId
                    WHERE s.lessonId = \(lessonID) AND s.voidedAt IS NULL AND q.voidedAt IS NULL AND q.studentId = \(request.studentID)
                    """, as: (Double?, Int?).self)
                recorded.append(RecordedQuizAttempt(
                    studentID: request.studentID, attempt: attempt, mark: mark,
                    bestPercent: ((best?.0) ?? 0) * 100, bestPassed: ((best?.1) ?? 0) == 1))
            }
            if !refusals.isEmpty { return .failure(SessionRefusals(refusals)) }
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "quiz", entity: "session", entityId: String(id),
                detail: "\(recorded.count) attempt\(recorded.count == 1 ? "" : "s"): "
                    + recorded.map { "\($0.studentID) \($0.mark.earned)/\($0.mark.possible) (attempt \($0.attempt))" }.joined(separator: ", ")),
                on: connection)
            return .success(recorded)
        }
    }

    /// Voids one attempt: it stays stored with who voided it, when and why.
    package func voidQuizAttempt(session id: Int64, student: String, attempt: Int, reason: String, context: WriteContext) async throws(StoreError) -> Result<VoidedAttempt, QuizVoidRefusal> {
        try await write { connection -> Result<VoidedAttempt, QuizVoidRefusal> in
            guard let (voidedAt, voidReason) = try await connection.first(
                "SELECT voidedAt, voidReason FROM session WHERE id = \(id)", as: (String?, String?).self) else {
                return .failure(.session(.unknownSession(id)))
            }
            if voidedAt != nil { return .failure(.session(.voided(id, reason: voidReason ?? ""))) }
            guard let row = try await connection.first("""
                SELECT id, earned, possible, passed, voidedAt, voidedBy, voidReason FROM quizAttempt
                WHERE sessionId = \(id) AND studentId = \(student) AND attempt = \(attempt)
                """, as: (Int64, Int, Int, Int, String?, String?, String?).self) else {
                let numbers = try await connection.values(
                    "SELECT attempt FROM quizAttempt WHERE sessionId = \(id) AND studentId = \(student) ORDER BY attempt", as: Int.self)
                return .failure(.noAttempt(student: student, session: id, attempt: attempt, attempts: numbers))
            }
            if let at = row.4 {
                return .failure(.alreadyVoided(student: student, session: id, attempt: attempt, at: at, by: row.5 ?? "", reason: row.6 ?? ""))
            }
            let (rowID, earned, possible, passed) = (row.0, row.1, row.2, row.3 == 1)
            try await connection.run(
                "UPDATE quizAttempt SET voidedAt = \(context.at), voidedBy = \(context.actor), voidReason = \(reason) WHERE id = \(rowID)")
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "void quiz attempt", entity: "session", entityId: String(id),
                field: "quiz attempt \(attempt) of \(student)", oldValue: "\(earned)/\(possible) \(passed ? "passed" : "not passed")",
                newValue: "voided", reason: reason), on: connection)
            return .success(VoidedAttempt(earned: earned, possible: possible, passed: passed))
        }
    }
}

extension JSONEncoder {
    /// Keys sorted, so equal values give equal text (the responses are stored as SQLite's store does).
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
