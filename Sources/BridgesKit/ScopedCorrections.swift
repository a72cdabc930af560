import BridgesCore
import BridgesStore
import Foundation

/// What the server does for a signed-in caller beyond reading: correcting a session, recording a
/// quiz attempt, exporting a report. Each checks the role rule (`Caller`) first, then the
/// caller's schools (another school's session is `.notFound`, worded as a missing one), then
/// hands over to the operation the command line runs.
extension Registrar {
    /// The session `id` when the caller may correct it: the role may correct at all (else
    /// `.forbidden`), the session is in its schools (else `.notFound`), and an officer logged it
    /// itself (else `.forbidden`).
    func sessionToCorrect(_ id: Int64, caller: Caller) async throws(BridgesError) -> SessionInfo {
        try caller.require(.correctSession)
        let found = try await session(id: id, caller: caller).session
        guard caller.mayCorrect(sessionOf: found.schoolID, loggedBy: found.officerID) else {
            throw .forbidden(role: caller.role, permission: .correctSession)
        }
        return found
    }

    /// `session amend ID --student S --status X --reason R` for a signed-in caller. Returns the
    /// student's status before (nil when they had none).
    public func amendSession(id: Int64, student: String, status: AttendanceStatus, reason: String, scopedTo caller: Caller) async throws(BridgesError) -> AttendanceStatus? {
        _ = try await sessionToCorrect(id, caller: caller)
        return try await amendSession(id: id, student: student, status: status, reason: reason, caller: caller)
    }

    /// `session void ID --reason R` for a signed-in caller.
    public func voidSession(id: Int64, reason: String, scopedTo caller: Caller) async throws(BridgesError) {
        _ = try await sessionToCorrect(id, caller: caller)
        try await voidSession(id: id, reason: reason, caller: caller)
    }

    /// `quiz record ID --student S --answers …` for a signed-in caller, the answers given as
    /// question id → answer (`"q1": "a"`, `"q2": "a+c"`, `"q3": "true"`). An officer records
    /// only at sessions it logged; another role that may record, at any session of its schools.
    public func recordQuiz(session id: Int64, student: String, answers: [String: String], scopedTo caller: Caller) async throws(BridgesError) -> QuizAttemptResult {
        try caller.require(.recordQuiz)
        let found = try await session(id: id, caller: caller).session
        guard caller.mayRecordQuiz(sessionOf: found.schoolID, loggedBy: found.officerID) else {
            throw .forbidden(role: caller.role, permission: .recordQuiz)
        }
        // The command line's answer list, `q1=a,q2=a+c`: a question or an answer holding either
        // separator could not be told apart in it, and is no question or choice anyway.
        var parts: [String] = []
        for (question, answer) in answers.sorted(by: { $0.key < $1.key }) {
            if question.contains(where: { $0 == "," || $0 == "=" }) || answer.contains(",") || answer.contains("=") {
                throw .usage("answers: '\(question)': '\(answer)' is not a question id and an answer (a choice such as a, a+c, or true or false)")
            }
            parts.append("\(question)=\(answer)")
        }
        let results = try await recordQuiz(session: id, student: student, answers: parts.joined(separator: ","), caller: caller)
        guard let result = results.first else { throw .internalError("the quiz attempt was recorded but its score was not returned") }
        return result
    }

    /// The folder for files an operation writes and reads back (a server's uploads go in a
    /// private folder made inside it).
    public var scratchFolder: String { temporaryFolder }

    /// The quiz of a session's lesson for a page that enters answers (nil: the lesson has none),
    /// when the caller may read the session (another school's: `.notFound`).
    public func sessionQuiz(id: Int64, caller: Caller) async throws(BridgesError) -> Quiz? {
        _ = try await session(id: id, caller: caller)
        switch try await store({ () async throws(StoreError) in try await database.quiz(session: id) }) {
        case .success(let quiz): return quiz
        case .failure: return nil
        }
    }

    /// A report for a signed-in caller, held in a private file with no name left on disk and handed
    /// back once its disclosure is recorded (who, when, the report, its filters, the students, and
    /// `recipient`). A caller limited to some schools gets only theirs (another school named:
    /// `.notFound`). A report that names students needs a `purpose` here (`.usage` without one):
    /// a request from a browser has no standard error to warn on.
    public func streamReport(
        _ report: Report, programID: String?, schoolID: String?, from: String?, to: String?, excel: Bool,
        purpose: String?, recipient: String, caller: Caller
    ) async throws(BridgesError) -> (export: ReportExport, stream: ReportStream) {
        try caller.require(report.namesStudents ? .exportStudentReports : .exportCountReports)
        if report.namesStudents, purpose.map({ $0.isBlank }) ?? true {
            throw .usage("purpose is needed for the \(report) report, which names students: say why and for whom (it is kept in the disclosure log)")
        }
        let export = try await exportReport(
            report, programID: programID, schoolID: schoolID, from: from, to: to, destination: .handedBack(recipient),
            excel: excel, replacing: false, progress: nil, caller: caller, purpose: purpose)
        guard let stream = export.stream else { throw .internalError("the \(report) report was written but not handed back") }
        return (export, stream)
    }
}
