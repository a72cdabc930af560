import BridgesCSV
import BridgesCore
import BridgesStore
import Foundation

/// What `session log` did.
public struct LoggedSessionResult: Sendable {
    public var id: Int64
    public var lessonVersion: Int
    public var minutes: Int
    public var counts: [AttendanceStatus: Int]
    /// Things said for people that did not stop the log (a lapsed certification).
    public var warnings: [String]
}

/// A session as people read it in listings and `session show`.
public struct SessionInfo: Sendable, Hashable {
    public var id: Int64
    public var date: String
    public var programID: String
    public var lessonID: String
    public var lessonVersion: Int
    public var lessonTitle: String
    public var schoolID: String
    public var classID: String
    public var officerID: String
    public var officerName: String
    public var minutes: Int
    public var note: String?
    public var recordedAt: String
    public var recordedBy: String
    public var voidedAt: String?
    public var voidedBy: String?
    public var voidReason: String?
    public var counts: [AttendanceStatus: Int]

    init(_ s: SessionSummary) {
        id = s.id; date = s.date; programID = s.programID; lessonID = s.lessonID; lessonVersion = s.lessonVersion
        lessonTitle = s.lessonTitle; schoolID = s.schoolID; classID = s.classID; officerID = s.officerID
        officerName = s.officerName; minutes = s.minutes; note = s.note; recordedAt = s.recordedAt
        recordedBy = s.recordedBy; voidedAt = s.voidedAt; voidedBy = s.voidedBy; voidReason = s.voidReason; counts = s.counts
    }
}

/// A student's line in `session show`.
public struct SessionStudent: Sendable, Hashable {
    public var studentID: String
    public var familyName: String
    public var givenName: String
    /// As the roster gave it: `K`, `1`…`12`, a CEDS code such as `PK`, or `""`.
    public var grade: String
    public var status: AttendanceStatus
    public var quizAttempts: Int
    /// The best attempt's points, if any attempt was made at this session.
    public var bestEarned: Int?
    public var bestPossible: Int?
    public var bestPassed: Bool?
}

/// One entry of the audit trail, for people.
public struct AuditEntry: Sendable, Hashable {
    public var at: String
    public var actor: String
    public var action: String
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var reason: String?
    public var detail: String?
}

public struct SessionDetail: Sendable {
    public var session: SessionInfo
    public var students: [SessionStudent]
    public var trail: [AuditEntry]
}

/// A marked quiz attempt.
public struct QuizAttemptResult: Sendable {
    public var studentID: String
    public var attempt: Int
    public var earned: Int
    public var possible: Int
    public var percent: Double
    public var passed: Bool
    /// The student's best at this lesson's quiz so far, over every session of the lesson.
    public var bestPercent: Double
    public var bestPassed: Bool
    /// Question by question: id, response, earned, possible.
    public var questions: [QuizMark.QuestionMark]
}

extension Records {
    /// Parses `YYYY-MM-DD` from a flag, as a usage error when it is not a real date.
    static func date(_ text: String, flag: String) throws(BridgesError) -> SchoolDate {
        guard let date = SchoolDate(text) else {
            throw .usage("\(flag) '\(text)' is not a date; \(SchoolDate.formatHelp)")
        }
        return date
    }

    /// Logs a session: every enrolled student gets exactly one status; one transaction.
    public func logSession(
        lessonID: String, classID: String, officerID: String, date: String, minutes: Int?,
        present: [String], late: [String], absent: [String], excused: [String],
        others: AttendanceStatus?, sheet: String?, note: String?, actor: String,
        today: SchoolDate = .today()
    ) throws(BridgesError) -> LoggedSessionResult {
        let day = try Self.date(date, flag: "--date")
        if day > today {
            throw .rejected("--date \(day) is in the future (today is \(today)); log a session on or after the day it was taught")
        }
        if let minutes, !(1...600).contains(minutes) {
            throw .usage("--minutes \(minutes) is not a length of a session; give the minutes taught, 1 to 600")
        }
        var named: [(student: String, status: AttendanceStatus)] = []
        for (ids, status) in [(present, AttendanceStatus.present), (late, .late), (absent, .absent), (excused, .excused)] {
            for id in ids { named.append((id, status)) }
        }
        if let sheet {
            let table = try SmallSheet.read(sheet, required: ["student_id", "status"])
            var problems: [Diagnostic] = []
            for row in table.rows {
                let student = row["student_id"].trimmingWhitespace()
                let text = row["status"]
                if student.isEmpty {
                    problems.append(.error("student_id is empty", file: sheet, line: row.line))
                } else if let status = AttendanceStatus(parsing: text) {
                    named.append((student, status))
                } else {
                    problems.append(.error("'\(text)' is not a status; use present, late, absent or excused", file: sheet, line: row.line))
                }
            }
            if !problems.isEmpty { throw .invalidInput(problems) }
        }
        let request = SessionRequest(
            lessonID: lessonID, classID: classID, officerID: officerID, date: day.description, minutes: minutes,
            note: note.flatMap { $0.isBlank ? nil : $0 }, named: named, others: others)
        let outcome = try store { () throws(StoreError) in try database.logSession(request, context: WriteContext(actor: actor)) }
        switch outcome {
        case .failure(let refusal):
            throw Self.error(for: refusal, date: day.description, lessonID: lessonID, classID: classID)
        case .success(let logged):
            var warnings: [String] = []
            if let until = logged.officerCertifiedUntil, let end = SchoolDate(until), end < day {
                warnings.append("officer \(officerID)'s instructor certification ran until \(until) and had lapsed on \(day); the session is logged, but the certification should be renewed (bridges officer add \(officerID) --name … --certified-until YYYY-MM-DD)")
            }
            return LoggedSessionResult(id: logged.id, lessonVersion: logged.lessonVersion, minutes: logged.minutes, counts: logged.counts, warnings: warnings)
        }
    }

    static func error(for refusal: SessionRefusal, date: String = "", lessonID: String = "", classID: String = "") -> BridgesError {
        switch refusal {
        case .unknownLesson(let id): .notFound("no lesson '\(id)' is stored; `bridges lesson list` shows the stored lessons")
        case .unknownClass(let id): .notFound("no class '\(id)' is in the roster; `bridges roster list` shows the classes (import the roster first)")
        case .unknownOfficer(let id): .notFound("no officer '\(id)'; add them with: bridges officer add \(id) --name \"…\"")
        case .unknownSession(let id): .notFound("no session \(id); `bridges session list` shows the sessions")
        case .duplicate(let existing):
            .rejected("lesson \(lessonID) is already logged for class \(classID) on \(date) as session \(existing); correct it with `bridges session amend \(existing) …`, or void it with `bridges session void \(existing) --reason …` and log again")
        case .attendance(let problems): .rejected(problems.problems.map(\.description).joined(separator: "\n       "))
        case .voided(let id, let reason): .rejected("session \(id) is voided (\(reason)); it cannot be changed")
        case .notInSession(let student, let session): .rejected("student \(student) has no status in session \(session) and is not enrolled in its class")
        case .hasQuizAttempts(let student, let session, let attempts):
            .rejected("student \(student) has \(attempts) quiz attempt\(attempts == 1 ? "" : "s") in session \(session), and only students present or late may have attempts; keep them present or late")
        case .noQuiz(let lesson, let version): .rejected("lesson \(lesson) version \(version) has no quiz")
        case .notAttended(let student, let status, _):
            .rejected("student \(student) was \(status.map(\.rawValue) ?? "not marked") in this session; only students present or late can take its quiz")
        case .unmarkable(let student, let problem, _): .rejected("student \(student): \(problem)")
        }
    }

    public func sessions(classID: String?, programID: String?, from: String?, to: String?) throws(BridgesError) -> [SessionInfo] {
        let fromDate = try from.map { (text) throws(BridgesError) in try Self.date(text, flag: "--from").description }
        let toDate = try to.map { (text) throws(BridgesError) in try Self.date(text, flag: "--to").description }
        return try store { () throws(StoreError) in
            try database.sessions(SessionFilter(classID: classID, programID: programID, from: fromDate, to: toDate))
        }.map(SessionInfo.init)
    }

    public func session(id: Int64) throws(BridgesError) -> SessionDetail {
        guard let summary = try store({ () throws(StoreError) in try database.session(id: id) }) else {
            throw Self.error(for: .unknownSession(id))
        }
        let marks = try store { () throws(StoreError) in try database.marks(session: id) }
        let trail = try store { () throws(StoreError) in try database.auditTrail(entity: "session", id: String(id)) }
        return SessionDetail(
            session: SessionInfo(summary),
            students: marks.map {
                SessionStudent(studentID: $0.studentID, familyName: $0.familyName, givenName: $0.givenName, grade: $0.grade,
                               status: $0.status, quizAttempts: $0.attempts, bestEarned: $0.bestEarned, bestPossible: $0.bestPossible, bestPassed: $0.bestPassed)
            },
            trail: trail.map {
                AuditEntry(at: $0.at, actor: $0.actor, action: $0.action, field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue, reason: $0.reason, detail: $0.detail)
            })
    }

    /// Corrects one student's status; the old one stays in the audit trail. Returns the old one
    /// (nil when the student had none), or the same status when nothing needed to change.
    public func amendSession(id: Int64, student: String, status: AttendanceStatus, reason: String, actor: String) throws(BridgesError) -> AttendanceStatus? {
        guard !reason.isBlank else { throw .usage("--reason is needed: say why the record changes (it is kept in the audit trail)") }
        let outcome = try store { () throws(StoreError) in
            try database.amendSession(id, student: student, status: status, reason: reason, context: WriteContext(actor: actor))
        }
        switch outcome {
        case .success(let old): return old
        case .failure(let refusal): throw Self.error(for: refusal)
        }
    }

    public func voidSession(id: Int64, reason: String, actor: String) throws(BridgesError) {
        guard !reason.isBlank else { throw .usage("--reason is needed: say why the session is voided (it is kept in the audit trail)") }
        let outcome = try store { () throws(StoreError) in try database.voidSession(id, reason: reason, context: WriteContext(actor: actor)) }
        if case .failure(let refusal) = outcome { throw Self.error(for: refusal) }
    }

    /// Records one student's attempt from `--answers "q1=a,q2=a+c"`.
    public func recordQuiz(session: Int64, student: String, answers: String, actor: String) throws(BridgesError) -> [QuizAttemptResult] {
        let responses: QuizResponses
        switch Result(catching: { () throws(QuizResponseProblem) -> QuizResponses in try Quiz.parseResponses(answers) }) {
        case .success(let parsed): responses = parsed
        case .failure(let problem): throw .usage("--answers: \(problem)")
        }
        return try recordQuiz(session: session, attempts: [QuizAttemptRequest(studentID: student, responses: responses)], sheet: nil, actor: actor)
    }

    /// Records one attempt per row of a quiz sheet: `student_id`, then one column per question.
    public func recordQuiz(session: Int64, sheet: String, actor: String) throws(BridgesError) -> [QuizAttemptResult] {
        let table = try SmallSheet.read(sheet, required: ["student_id"])
        // Every named column but student_id (which the sheet is known to have) is a question.
        let studentColumn = table.header.column("student_id")?.index
        let questionColumns = table.header.names.enumerated()
            .filter { $0.offset != studentColumn && !$0.element.isBlank }
            .map(\.element)
        var attempts: [QuizAttemptRequest] = []
        var problems: [Diagnostic] = []
        for row in table.rows {
            let student = row["student_id"].trimmingWhitespace()
            if student.isEmpty {
                problems.append(.error("student_id is empty", file: sheet, line: row.line))
                continue
            }
            var responses: QuizResponses = [:]
            for column in questionColumns {
                let answer = row[column].trimmingWhitespace()
                if !answer.isEmpty { responses[column.trimmingWhitespace().lowercased()] = answer }
            }
            attempts.append(QuizAttemptRequest(studentID: student, responses: responses, line: row.line))
        }
        if !problems.isEmpty { throw .invalidInput(problems) }
        return try recordQuiz(session: session, attempts: attempts, sheet: sheet, actor: actor)
    }

    private func recordQuiz(session: Int64, attempts: [QuizAttemptRequest], sheet: String?, actor: String) throws(BridgesError) -> [QuizAttemptResult] {
        guard !attempts.isEmpty else { throw .rejected("the quiz sheet has no rows") }
        let outcome = try store { () throws(StoreError) in
            try database.recordQuizAttempts(session: session, attempts: attempts, context: WriteContext(actor: actor))
        }
        switch outcome {
        case .success(let recorded):
            return recorded.map {
                QuizAttemptResult(studentID: $0.studentID, attempt: $0.attempt, earned: $0.mark.earned, possible: $0.mark.possible,
                                  percent: $0.mark.percent, passed: $0.mark.passed, bestPercent: $0.bestPercent, bestPassed: $0.bestPassed,
                                  questions: $0.mark.questions)
            }
        case .failure(let refusals):
            if let sheet {
                let located = refusals.all.compactMap { refusal -> Diagnostic? in
                    switch refusal {
                    case .notAttended(_, _, let line?), .unmarkable(_, _, let line?):
                        return .error(Self.error(for: refusal).description, file: sheet, line: line)
                    default: return nil
                    }
                }
                if located.count == refusals.all.count { throw .invalidInput(located) }
            }
            throw refusals.all.first.map { Self.error(for: $0) } ?? .internalError("quiz refused without a reason")
        }
    }
}
