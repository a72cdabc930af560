import BridgesCSV
import BridgesCore
import BridgesStore
import Foundation

/// What `session log` did.
/// Not the store's `LoggedSession`: Kit turns its lapsed certification and other findings into `warnings`.
public struct LoggedSessionResult: Sendable {
    public var id: Int64
    public var lessonVersion: Int
    public var minutes: Int
    public var counts: [AttendanceStatus: Int]
    /// Things said for people that did not stop the log (a lapsed certification).
    public var warnings: [Message]
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
    /// Every attempt at this session's quiz, by number, voided ones too (`quizAttempts` and the
    /// best count only those not voided).
    public var attempts: [QuizAttemptInfo] = []
}

/// One quiz attempt as `session show` lists it.
/// Not the store's `StoredQuizAttempt`: it sits under its student's line, so it leaves the student out.
public struct QuizAttemptInfo: Sendable, Hashable {
    public var number: Int
    public var earned: Int
    public var possible: Int
    public var passed: Bool
    public var recordedAt: String
    public var recordedBy: String
    public var voidedAt: String?
    public var voidedBy: String?
    public var voidReason: String?
}

/// One entry of the audit trail, for people.
/// Not the store's `AuditEvent` (the hashed row of the chain): one thing's trail, without its row id and entity.
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
    /// The questions left unanswered (marked wrong), for a warning.
    public var unanswered: [String] = []
    /// The quiz sheet's line of this attempt, when it came from a sheet.
    public var line: Int? = nil
}

extension Registrar {
    /// Parses `YYYY-MM-DD` given as `field`, as a usage error when it is not a real date.
    static func date(_ text: String, field: Field) throws(BridgesError) -> SchoolDate {
        guard let date = SchoolDate(text) else {
            throw .usage("\(field: field) '\(text)' is not a date; \(SchoolDate.formatHelp)")
        }
        return date
    }

    /// Logs a session: every enrolled student gets exactly one status; one transaction.
    public func logSession(
        lessonID: String, classID: String, officerID: String, date: String, minutes: Int?,
        present: [String], late: [String], absent: [String], excused: [String],
        others: AttendanceStatus?, sheet: String?, note: String?, caller: Caller
    ) async throws(BridgesError) -> LoggedSessionResult {
        let today = clock.today
        try caller.require(.logSession)
        // An officer's account logs its own sessions only.
        guard caller.role != .officer || caller.officerID == officerID else {
            throw .forbidden(role: caller.role, permission: .logSession)
        }
        let actor = caller.name
        let day = try Self.date(date, field: .date)
        if day > today {
            throw .rejected("\(field: .date) \(day) is in the future (today is \(today)); log a session on or after the day it was taught")
        }
        if let minutes, !(1...600).contains(minutes) {
            throw .usage("\(field: .minutes) \(minutes) is not a length of a session; give the minutes taught, 1 to 600")
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
                    problems.append(.error(code: "sheet.empty-value", "student_id is empty", file: sheet, line: row.line))
                } else if let status = AttendanceStatus(parsing: text) {
                    named.append((student, status))
                } else {
                    problems.append(.error(code: "sheet.status", "'\(text)' is not a status; use present, late, absent or excused", file: sheet, line: row.line))
                }
            }
            if !problems.isEmpty { throw .invalidInput(problems) }
        }
        let request = SessionRequest(
            lessonID: lessonID, classID: classID, officerID: officerID, date: day.description, minutes: minutes,
            note: note.flatMap { $0.isBlank ? nil : $0 }, named: named, others: others)
        let outcome = try await store { () async throws(StoreError) in try await database.logSession(request, context: WriteContext(actor: actor, at: clock.now)) }
        switch outcome {
        case .failure(let refusal):
            throw Self.error(for: refusal, date: day.description, lessonID: lessonID, classID: classID)
        case .success(let logged):
            var warnings: [Message] = []
            if let until = logged.officerCertifiedUntil, let end = SchoolDate(until), end < day {
                warnings.append("officer \(officerID)'s instructor certification ran until \(until) and had lapsed on \(day); the session is logged, but the certification should be renewed (\(.officerAdd) \(officerID) \(field: .name) … \(field: .certifiedUntil) YYYY-MM-DD)")
            }
            warnings += Self.dateWarnings(day, today: today, programFirstLoaded: logged.programFirstLoaded, lessonID: lessonID)
            if let mismatch = logged.gradesOutsideLesson {
                warnings.append(Self.gradeBandWarning(mismatch, lessonID: lessonID, classID: classID))
            }
            return LoggedSessionResult(id: logged.id, lessonVersion: logged.lessonVersion, minutes: logged.minutes, counts: logged.counts, warnings: warnings)
        }
    }

    /// How long before a program was first loaded a session may be dated without a word: a
    /// school that starts using Bridges logs the weeks it taught before.
    static let catchUpDays = 90

    /// A date that is possible but probably mistyped: two years or more back, or a season
    /// before the program was loaded here.
    static func dateWarnings(_ day: SchoolDate, today: SchoolDate, programFirstLoaded: String?, lessonID: String) -> [Message] {
        var warnings: [Message] = []
        let yearsBack = day.days(until: today) / 365
        if yearsBack >= 2 {
            warnings.append("the session's date \(day) is \(yearsBack) years before today (\(today)); if the year is mistyped, correct it with `\(.sessionAmend) ID \(field: .date) YYYY-MM-DD \(field: .reason) …`")
        } else if let loaded = programFirstLoaded.flatMap(SchoolDate.init), day.days(until: loaded) > Self.catchUpDays {
            warnings.append("the session's date \(day) is before lesson \(lessonID)'s program was first loaded here (\(loaded)); that is fine for a session taught from an earlier copy of the lesson, otherwise correct the date with `\(.sessionAmend) ID \(field: .date) YYYY-MM-DD \(field: .reason) …`")
        }
        return warnings
    }

    /// A class taught a lesson written for other grades: allowed (schools mix grades), said.
    static func gradeBandWarning(_ mismatch: GradeBandMismatch, lessonID: String, classID: String) -> Message {
        let grades = mismatch.studentsByGrade.keys.sorted()
        let total = mismatch.studentsByGrade.values.reduce(0, +)
        let detail = grades.map { "\(mismatch.studentsByGrade[$0]!) in grade \($0)" }.joined(separator: ", ")
        return "lesson \(lessonID) is written for \(mismatch.lessonGrades), and class \(classID) has \(total) student\(total == 1 ? "" : "s") outside them (\(detail)); the session is logged, but check that the lesson suits the class"
    }

    static func error(for refusal: SessionRefusal, date: String = "", lessonID: String = "", classID: String = "") -> BridgesError {
        switch refusal {
        case .unknownLesson(let id): .notFound(.lesson(id), "no lesson \'\(id)\' is stored; `\(.lessonList)` shows the stored lessons")
        case .unknownClass(let id): .notFound(.class(id), "no class \'\(id)\' is in the roster; `\(.rosterList)` shows the classes (import the roster first)")
        case .unknownOfficer(let id): .notFound(.officer(id), "no officer \'\(id)\'; add them with: \(.officerAdd) \(id) \(field: .name) \"…\"")
        case .unknownSession(let id): .notFound(.session(id), "no session \(id); `\(.sessionList)` shows the sessions")
        case .duplicate(let existing):
            .rejected("lesson \(lessonID) is already logged for class \(classID) on \(date) as session \(existing); correct it with `\(.sessionAmend) \(existing) …`, or void it with `\(.sessionVoid) \(existing) \(field: .reason) …` and log again")
        case .attendance(let problems): .rejected(.joined(problems.problems.map(\.message), separator: "\n       "))
        case .voided(let id, let reason): .rejected("session \(id) is voided (\(reason)); it cannot be changed")
        case .notInSession(let student, let session): .rejected("student \(student) has no status in session \(session) and is not enrolled in its class")
        case .hasQuizAttempts(let student, let session, let attempts):
            .rejected("student \(student) has \(attempts) quiz attempt\(attempts == 1 ? "" : "s") in session \(session), and only students present or late may have attempts; void \(attempts == 1 ? "it" : "them") first with `\(.quizVoid) \(field: .session) \(session) \(field: .student) \(student) \(field: .attempt) N \(field: .reason) …` (`\(.sessionShow) \(session)` lists the attempts), then change the status")
        case .unknownLessonVersion(let lesson, let version):
            .notFound(.lessonVersion(lesson, version: version), "lesson \(lesson) has no version \(version) stored; `\(.lessonShow) \(lesson)` shows the latest, and `\(.lessonLoad)` stores another")
        case .quizMarkedAgainstVersion(let session, let version, let attempts):
            .rejected("session \(session) has \(attempts) quiz attempt\(attempts == 1 ? "" : "s") marked against lesson version \(version)'s quiz; void \(attempts == 1 ? "it" : "them") first with `\(.quizVoid) \(field: .session) \(session) \(field: .student) SID \(field: .attempt) N \(field: .reason) …`, then change the version")
        case .noQuiz(let lesson, let version): .rejected("lesson \(lesson) version \(version) has no quiz")
        case .notAttended(let student, let status, _):
            .rejected("student \(student) was \(status.map(\.rawValue) ?? "not marked") in this session; only students present or late can take its quiz")
        case .unmarkable(let student, let problem, _): .rejected("student \(student): \(problem)")
        }
    }

    func sessions(classID: String?, programID: String?, from: String?, to: String?) async throws(BridgesError) -> [SessionInfo] {
        let fromDate = try from.map { (text) throws(BridgesError) in try Self.date(text, field: .from).description }
        let toDate = try to.map { (text) throws(BridgesError) in try Self.date(text, field: .to).description }
        return try await store { () async throws(StoreError) in
            try await database.sessions(SessionFilter(classID: classID, programID: programID, from: fromDate, to: toDate))
        }
    }

    func session(id: Int64) async throws(BridgesError) -> SessionDetail {
        guard let summary = try await store({ () async throws(StoreError) in try await database.session(id: id) }) else {
            throw Self.error(for: .unknownSession(id))
        }
        let marks = try await store { () async throws(StoreError) in try await database.marks(session: id) }
        let trail = try await store { () async throws(StoreError) in try await database.auditTrail(entity: "session", id: String(id)) }
        var attempts: [String: [QuizAttemptInfo]] = [:]
        for a in try await store({ () async throws(StoreError) in try await database.quizAttempts(session: id) }) {
            attempts[a.studentID, default: []].append(QuizAttemptInfo(
                number: a.attempt, earned: a.earned, possible: a.possible, passed: a.passed, recordedAt: a.recordedAt, recordedBy: a.recordedBy,
                voidedAt: a.voidedAt, voidedBy: a.voidedBy, voidReason: a.voidReason))
        }
        return SessionDetail(
            session: summary,
            students: marks.map {
                SessionStudent(studentID: $0.studentID, familyName: $0.familyName, givenName: $0.givenName, grade: $0.grade,
                               status: $0.status, quizAttempts: $0.attempts, bestEarned: $0.bestEarned, bestPossible: $0.bestPossible, bestPassed: $0.bestPassed,
                               attempts: attempts[$0.studentID] ?? [])
            },
            trail: trail.map {
                AuditEntry(at: $0.at, actor: $0.actor, action: $0.action, field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue, reason: $0.reason, detail: $0.detail)
            })
    }

    /// Corrects one student's status; the old one stays in the audit trail. Returns the old one
    /// (nil when the student had none), or the same status when nothing needed to change.
    public func amendSession(id: Int64, student: String, status: AttendanceStatus, reason: String, caller: Caller) async throws(BridgesError) -> AttendanceStatus? {
        try caller.require(.correctSession)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say why the record changes (it is kept in the audit trail)") }
        let outcome = try await store { () async throws(StoreError) in
            try await database.amendSession(id, student: student, status: status, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        switch outcome {
        case .success(let old): return old
        case .failure(let refusal): throw Self.error(for: refusal)
        }
    }

    /// What `session amend` corrects; nil leaves a value as it is.
    public struct SessionCorrection: Sendable {
        public var date: String?
        public var officerID: String?
        public var minutes: Int?
        public var lessonVersion: Int?
        public var student: String?
        public var status: AttendanceStatus?

        public init(date: String? = nil, officerID: String? = nil, minutes: Int? = nil, lessonVersion: Int? = nil,
                    student: String? = nil, status: AttendanceStatus? = nil) {
            self.date = date
            self.officerID = officerID
            self.minutes = minutes
            self.lessonVersion = lessonVersion
            self.student = student
            self.status = status
        }
    }

    /// One value a correction changed: field, old → new.
    public struct SessionCorrectionChange: Sendable, Hashable {
        public var field: String
        public var oldValue: String
        public var newValue: String
    }

    /// Corrects a session's date, officer, minutes, lesson version and one student's status, in
    /// one transaction; each change stays in the audit trail with the old value and the reason.
    /// Returns what changed (nothing when every value already held).
    public func amendSession(id: Int64, correction: SessionCorrection, reason: String, caller: Caller) async throws(BridgesError) -> [SessionCorrectionChange] {
        let today = clock.today
        try caller.require(.correctSession)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say why the record changes (it is kept in the audit trail)") }
        var amendment = SessionAmendment(officerID: correction.officerID, minutes: correction.minutes, lessonVersion: correction.lessonVersion)
        if let text = correction.date {
            let day = try Self.date(text, field: .date)
            if day > today {
                throw .rejected("\(field: .date) \(day) is in the future (today is \(today)); a session is dated the day it was taught")
            }
            amendment.date = day.description
        }
        if let minutes = correction.minutes, !(1...600).contains(minutes) {
            throw .usage("\(field: .minutes) \(minutes) is not a length of a session; give the minutes taught, 1 to 600")
        }
        if let version = correction.lessonVersion, version < 1 {
            throw .usage("\(field: .lessonVersion) \(version) is not a version; versions are 1, 2, 3 …")
        }
        switch (correction.student, correction.status) {
        case (let student?, let status?): amendment.status = (student, status)
        case (nil, nil): break
        case (nil, _?): throw .usage("\(field: .status) needs \(field: .student): say whose status changes")
        case (_?, nil): throw .usage("\(field: .student) needs \(field: .status): say what the student's status should be")
        }
        if amendment.date == nil && amendment.officerID == nil && amendment.minutes == nil && amendment.lessonVersion == nil && amendment.status == nil {
            throw .usage("say what to correct: \(field: .date), \(field: .officer), \(field: .minutes), \(field: .lessonVersion), or \(field: .student) with \(field: .status)")
        }
        let outcome = try await store { () async throws(StoreError) in
            try await database.amendSession(id, amendment, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        switch outcome {
        case .success(let changes):
            return changes.map { SessionCorrectionChange(field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue) }
        case .failure(.duplicate(let existing)):
            throw .rejected("session \(existing) already records this lesson for this class on \(amendment.date ?? "that day"); a lesson is logged once per class and day: void one of the two (`\(.sessionVoid) ID \(field: .reason) …`) or choose another date")
        case .failure(let refusal):
            throw Self.error(for: refusal)
        }
    }

    public func voidSession(id: Int64, reason: String, caller: Caller) async throws(BridgesError) {
        try caller.require(.correctSession)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say why the session is voided (it is kept in the audit trail)") }
        let outcome = try await store { () async throws(StoreError) in try await database.voidSession(id, reason: reason, context: WriteContext(actor: actor, at: clock.now)) }
        if case .failure(let refusal) = outcome { throw Self.error(for: refusal) }
    }

    /// Voids one quiz attempt recorded in error (`quiz void`): it stays stored and in the audit
    /// trail with its old score, who voided it, when and why, and no longer counts for the best
    /// score, eligibility or reports. Voiding it again is refused.
    public func voidQuizAttempt(session: Int64, student: String, attempt: Int, reason: String, caller: Caller) async throws(BridgesError) -> VoidedAttempt {
        try caller.require(.recordQuiz)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say why the attempt is voided (it is kept in the audit trail)") }
        guard attempt >= 1 else { throw .usage("\(field: .attempt) \(attempt) is not an attempt number; `\(.sessionShow) \(session)` lists them") }
        let outcome = try await store { () async throws(StoreError) in
            try await database.voidQuizAttempt(session: session, student: student, attempt: attempt, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        switch outcome {
        case .success(let voided): return voided
        case .failure(.session(let refusal)): throw Self.error(for: refusal)
        case .failure(.noAttempt(let student, let session, let attempt, let numbers)):
            throw .notFound(.quizAttempt(session: session, student: student, attempt: attempt), "student \(student) has no quiz attempt \(attempt) in session \(session)"
                + (numbers.isEmpty ? " (no attempts at all)" : " (their attempts are \(numbers.map(String.init).joined(separator: ", ")))")
                + "; `\(.sessionShow) \(session)` lists the attempts")
        case .failure(.alreadyVoided(let student, let session, let attempt, let at, let by, let reason)):
            throw .rejected("quiz attempt \(attempt) of student \(student) in session \(session) was already voided on \(at) by \(by) (\(reason)); it cannot be voided twice")
        }
    }

    /// The quiz of a session's lesson, or why it takes no attempts; read before the write.
    private func quiz(session: Int64) async throws(BridgesError) -> Quiz {
        switch try await store({ () async throws(StoreError) in try await database.quiz(session: session) }) {
        case .success(let quiz): return quiz
        case .failure(let refusal): throw Self.error(for: refusal)
        }
    }

    /// Records one student's attempt from `--answers "q1=a,q2=a+c"`. Every problem of the answers
    /// is found before anything is written, and all are reported at once: parts that are not
    /// `question=answer`, unknown questions (with the nearest id), questions answered twice,
    /// blank answers, unknown choices. Questions left out are listed in `unanswered`.
    public func recordQuiz(session: Int64, student: String, answers: String, caller: Caller) async throws(BridgesError) -> [QuizAttemptResult] {
        try caller.require(.recordQuiz)
        let actor = caller.name
        let (given, malformed) = Quiz.parseAnswerList(answers)
        if !malformed.isEmpty {
            throw .usage("\(field: .answers): \(malformed.map(\.description).joined(separator: "\n       "))")
        }
        if given.isEmpty { throw .usage("\(field: .answers) names no question; give them as \"q1=a,q2=a+c,q3=true\"") }
        let quiz = try await quiz(session: session)
        let check = quiz.check(given)
        if !check.problems.isEmpty {
            throw .rejected(Message(check.problems.map { "student \(student): \($0.problem)" }.joined(separator: "\n       ")
                + "\n       nothing was recorded; give the answers again, corrected"))
        }
        var results = try await recordQuiz(session: session, attempts: [QuizAttemptRequest(studentID: student, responses: check.responses)], sheet: nil, actor: actor)
        if !results.isEmpty { results[0].unanswered = check.unanswered }
        return results
    }

    /// Records one attempt per row of a quiz sheet: `student_id`, then one column per question.
    /// Every problem of the sheet is found before anything is written and reported located
    /// (`file:line:column`, the column counted in the sheet's columns): unknown or repeated
    /// question columns, unknown choices, answers that are not true or false. An empty cell is a
    /// question left unanswered (marked wrong), listed in each result's `unanswered`.
    public func recordQuiz(session: Int64, sheet: String, caller: Caller) async throws(BridgesError) -> [QuizAttemptResult] {
        try caller.require(.recordQuiz)
        let actor = caller.name
        let table = try SmallSheet.read(sheet, required: ["student_id"])
        let quiz = try await quiz(session: session)
        let index = quiz.questionIndex
        let known = quiz.questions.map(\.id)
        // Every named column but student_id (which the sheet is known to have) is a question.
        let studentColumn = table.header.column("student_id")?.index
        var problems: [Diagnostic] = []
        var questionColumns: [(index: Int, id: String)] = []
        var seen: [String: Int] = [:]
        for (offset, name) in table.header.names.enumerated() where offset != studentColumn && !name.isBlank {
            let id = name.trimmingWhitespace().lowercased()
            if let first = seen[id] {
                problems.append(.error(code: "quiz-sheet.question-twice", "question '\(id)' has a second column (the first is column \(first + 1)); give each question one column", file: sheet, line: table.header.line, column: offset + 1))
                continue
            }
            seen[id] = offset
            guard index[id] != nil else {
                problems.append(.error(code: "quiz-sheet.unknown-question", "column '\(name)': \(QuizResponseProblem.unknownQuestion(id, known: known))", file: sheet, line: table.header.line, column: offset + 1))
                continue
            }
            questionColumns.append((offset, id))
        }
        var attempts: [QuizAttemptRequest] = []
        var unanswered: [[String]] = []
        for row in table.rows {
            let student = row["student_id"].trimmingWhitespace()
            if student.isEmpty {
                problems.append(.error(code: "sheet.empty-value", "student_id is empty", file: sheet, line: row.line, column: studentColumn.map { $0 + 1 }))
                continue
            }
            var given: [QuizAnswer] = []
            for column in questionColumns {
                let answer = (column.index < row.record.fields.count ? row.record.fields[column.index] : "").trimmingWhitespace()
                if !answer.isEmpty { given.append(QuizAnswer(questionID: column.id, answer: answer, column: column.index + 1)) }
            }
            let check = quiz.check(given)
            for found in check.problems {
                problems.append(.error(code: "quiz-sheet.answer", "student \(student): \(found.problem)", file: sheet, line: row.line, column: found.answer?.column))
            }
            attempts.append(QuizAttemptRequest(studentID: student, responses: check.responses, line: row.line))
            unanswered.append(check.unanswered)
        }
        if !problems.isEmpty { throw .invalidInput(problems) }
        var results = try await recordQuiz(session: session, attempts: attempts, sheet: sheet, actor: actor)
        for offset in results.indices where offset < unanswered.count {
            results[offset].unanswered = unanswered[offset]
            results[offset].line = attempts[offset].line
        }
        return results
    }

    private func recordQuiz(session: Int64, attempts: [QuizAttemptRequest], sheet: String?, actor: String) async throws(BridgesError) -> [QuizAttemptResult] {
        guard !attempts.isEmpty else { throw .rejected("the quiz sheet has no rows") }
        let outcome = try await store { () async throws(StoreError) in
            try await database.recordQuizAttempts(session: session, attempts: attempts, context: WriteContext(actor: actor, at: clock.now))
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
                        return .error(code: "quiz-sheet.refused", Self.error(for: refusal).message, file: sheet, line: line)
                    default: return nil
                    }
                }
                if located.count == refusals.all.count { throw .invalidInput(located) }
            }
            throw refusals.all.first.map { Self.error(for: $0) } ?? .internalError("quiz refused without a reason")
        }
    }
}
