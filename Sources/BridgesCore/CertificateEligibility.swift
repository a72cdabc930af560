/// Where one student stands against a program's certificate rule.
///
/// A required lesson counts as attended when the student was present or late at any session of
/// it (a make-up session counts); a quiz counts as passed on the student's best attempt.
public struct CertificateProgress: Sendable, Hashable {
    public var studentID: String
    /// Required lessons attended, in the program's order.
    public var attended: [String]
    /// Required lessons not attended, in the program's order.
    public var missing: [String]
    /// Attended required lessons whose quiz must be passed (rule `pass-all`).
    public var quizzesRequired: [String]
    /// Of those, the ones passed on the best attempt.
    public var quizzesPassed: [String]
    public var eligible: Bool
}

extension Program {
    /// Checks one student against this program's certificate rule.
    ///
    /// - Parameters:
    ///   - attended: lessons the student was present or late at (any session, make-ups count).
    ///   - passed: lessons whose quiz the student passed on their best attempt.
    ///   - lessonsWithQuiz: lessons that have a quiz.
    public func progress(of studentID: String, attended: Set<String>, passed: Set<String>, lessonsWithQuiz: Set<String>) -> CertificateProgress {
        let required = requiredLessonIDs
        let attendedRequired = required.filter { attended.contains($0) }
        let missing = required.filter { !attended.contains($0) }
        let attendanceMet: Bool
        switch certificate.attendance {
        case .all: attendanceMet = missing.isEmpty && !required.isEmpty
        case .count(let count): attendanceMet = attendedRequired.count >= count
        }
        let quizzesRequired = certificate.quizzes == .passAll ? attendedRequired.filter { lessonsWithQuiz.contains($0) } : []
        let quizzesPassed = quizzesRequired.filter { passed.contains($0) }
        return CertificateProgress(
            studentID: studentID, attended: attendedRequired, missing: missing, quizzesRequired: quizzesRequired,
            quizzesPassed: quizzesPassed, eligible: attendanceMet && quizzesPassed.count == quizzesRequired.count)
    }
}
