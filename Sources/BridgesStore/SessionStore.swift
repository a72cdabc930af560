import BridgesCore
import Foundation

/// A session an officer asks to log.
package struct SessionRequest: Sendable {
    package var lessonID: String
    package var classID: String
    package var officerID: String
    /// `YYYY-MM-DD`, already checked to be a real date.
    package var date: String
    /// nil: the lesson's planned minutes.
    package var minutes: Int?
    package var note: String?
    package var named: [(student: String, status: AttendanceStatus)]
    package var others: AttendanceStatus?

    package init(lessonID: String, classID: String, officerID: String, date: String, minutes: Int?, note: String?,
                 named: [(student: String, status: AttendanceStatus)], others: AttendanceStatus?) {
        self.lessonID = lessonID
        self.classID = classID
        self.officerID = officerID
        self.date = date
        self.minutes = minutes
        self.note = note
        self.named = named
        self.others = others
    }
}

/// Why a session was not logged; nothing was written.
package enum SessionRefusal: Sendable, Error {
    case unknownLesson(String)
    case unknownClass(String)
    case unknownOfficer(String)
    case unknownSession(Int64)
    case duplicate(existing: Int64)
    case attendance(AttendanceSheet.ProblemList)
    case voided(Int64, reason: String)
    case notInSession(student: String, session: Int64)
    case hasQuizAttempts(student: String, session: Int64, attempts: Int)
    /// The lesson has no such version stored.
    case unknownLessonVersion(lesson: String, version: Int)
    /// Attempts at this session's quiz were marked against the version it records now.
    case quizMarkedAgainstVersion(session: Int64, version: Int, attempts: Int)
    case noQuiz(lesson: String, version: Int)
    case notAttended(student: String, status: AttendanceStatus?, line: Int?)
    case unmarkable(student: String, problem: QuizResponseProblem, line: Int?)
}

package struct LoggedSession: Sendable {
    package var id: Int64
    package var lessonVersion: Int
    package var minutes: Int
    package var counts: [AttendanceStatus: Int]
    package var officerCertifiedUntil: String?
    /// The day the lesson's program was first loaded into this database (`YYYY-MM-DD`).
    package var programFirstLoaded: String?
    /// Students of the class whose grade lies outside the lesson's grades, if any.
    package var gradesOutsideLesson: GradeBandMismatch?

    package init(id: Int64, lessonVersion: Int, minutes: Int, counts: [AttendanceStatus: Int], officerCertifiedUntil: String?, programFirstLoaded: String?, gradesOutsideLesson: GradeBandMismatch?) {
        self.id = id
        self.lessonVersion = lessonVersion
        self.minutes = minutes
        self.counts = counts
        self.officerCertifiedUntil = officerCertifiedUntil
        self.programFirstLoaded = programFirstLoaded
        self.gradesOutsideLesson = gradesOutsideLesson
    }
}

/// A class taught a lesson written for other grades: the lesson's grades, and how many of the
/// class's students are in each grade outside them.
package struct GradeBandMismatch: Sendable, Hashable {
    package var lessonGrades: GradeRange
    package var studentsByGrade: [Grade: Int]

    package init(lessonGrades: GradeRange, studentsByGrade: [Grade: Int]) {
        self.lessonGrades = lessonGrades
        self.studentsByGrade = studentsByGrade
    }
}

/// One student's line in a session.
package struct SessionMark: Sendable, Hashable {
    package var studentID: String
    package var familyName: String
    package var givenName: String
    /// As shown: `K`, `1`…`12`, a CEDS code, or `""`.
    package var grade: String
    package var status: AttendanceStatus
    /// Attempts at this session's quiz, and the best of them.
    package var attempts: Int
    package var bestEarned: Int?
    package var bestPossible: Int?
    package var bestPassed: Bool?

    package init(studentID: String, familyName: String, givenName: String, grade: String, status: AttendanceStatus, attempts: Int, bestEarned: Int?, bestPossible: Int?, bestPassed: Bool?) {
        self.studentID = studentID
        self.familyName = familyName
        self.givenName = givenName
        self.grade = grade
        self.status = status
        self.attempts = attempts
        self.bestEarned = bestEarned
        self.bestPossible = bestPossible
        self.bestPassed = bestPassed
    }
}

/// What `session amend` corrects; nil leaves a value as it is.
package struct SessionAmendment: Sendable {
    package var date: String?
    package var officerID: String?
    package var minutes: Int?
    package var lessonVersion: Int?
    package var status: (student: String, status: AttendanceStatus)?

    package init(date: String? = nil, officerID: String? = nil, minutes: Int? = nil, lessonVersion: Int? = nil,
                 status: (student: String, status: AttendanceStatus)? = nil) {
        self.date = date
        self.officerID = officerID
        self.minutes = minutes
        self.lessonVersion = lessonVersion
        self.status = status
    }
}

/// One value `session amend` changed, as the audit trail keeps it.
package struct SessionChange: Sendable, Hashable {
    package var field: String
    package var oldValue: String
    package var newValue: String

    package init(field: String, oldValue: String, newValue: String) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// One quiz attempt as stored, voided or not.
package struct StoredQuizAttempt: Sendable, Hashable {
    package var studentID: String
    package var attempt: Int
    package var earned: Int
    package var possible: Int
    package var passed: Bool
    package var recordedAt: String
    package var recordedBy: String
    package var voidedAt: String?
    package var voidedBy: String?
    package var voidReason: String?

    package init(studentID: String, attempt: Int, earned: Int, possible: Int, passed: Bool, recordedAt: String, recordedBy: String, voidedAt: String?, voidedBy: String?, voidReason: String?) {
        self.studentID = studentID
        self.attempt = attempt
        self.earned = earned
        self.possible = possible
        self.passed = passed
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.voidedAt = voidedAt
        self.voidedBy = voidedBy
        self.voidReason = voidReason
    }
}

/// Filters of `session list`.
package struct SessionFilter: Sendable {
    package var classID: String?
    package var programID: String?
    package var from: String?
    package var to: String?

    package init(classID: String? = nil, programID: String? = nil, from: String? = nil, to: String? = nil) {
        self.classID = classID
        self.programID = programID
        self.from = from
        self.to = to
    }
}
