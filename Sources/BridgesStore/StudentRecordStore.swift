import BridgesCore
import Foundation

/// Everything the database holds about one student, as stored: what `student record` shows a
/// family (FERPA 34 CFR 99.10, GDPR art. 15).
package struct StoredStudentRecord: Sendable, Hashable {
    package struct Enrollment: Sendable, Hashable {
        package var schoolID, schoolName, classID, className: String

        package init(schoolID: String, schoolName: String, classID: String, className: String) {
            self.schoolID = schoolID
            self.schoolName = schoolName
            self.classID = classID
            self.className = className
        }
    }
    package struct Mark: Sendable, Hashable {
        package var sessionID: Int64
        package var date: String
        package var programID, lessonID: String
        package var lessonVersion: Int
        package var lessonTitle: String
        package var classID, schoolID, officerID, officerName: String
        package var minutes: Int
        package var status: String
        package var recordedAt, recordedBy: String
        package var voidedAt, voidedBy, voidReason: String?

        package init(sessionID: Int64, date: String, programID: String, lessonID: String, lessonVersion: Int, lessonTitle: String, classID: String, schoolID: String, officerID: String, officerName: String, minutes: Int, status: String, recordedAt: String, recordedBy: String, voidedAt: String?, voidedBy: String?, voidReason: String?) {
            self.sessionID = sessionID
            self.date = date
            self.programID = programID
            self.lessonID = lessonID
            self.lessonVersion = lessonVersion
            self.lessonTitle = lessonTitle
            self.classID = classID
            self.schoolID = schoolID
            self.officerID = officerID
            self.officerName = officerName
            self.minutes = minutes
            self.status = status
            self.recordedAt = recordedAt
            self.recordedBy = recordedBy
            self.voidedAt = voidedAt
            self.voidedBy = voidedBy
            self.voidReason = voidReason
        }
    }
    package struct QuizAttempt: Sendable, Hashable {
        package var sessionID: Int64
        package var date, lessonID: String
        package var attempt: Int
        package var responses: String
        package var earned, possible: Int
        package var passed: Bool
        package var recordedAt, recordedBy: String
        package var voidedAt, voidedBy, voidReason: String?

        package init(sessionID: Int64, date: String, lessonID: String, attempt: Int, responses: String, earned: Int, possible: Int, passed: Bool, recordedAt: String, recordedBy: String, voidedAt: String?, voidedBy: String?, voidReason: String?) {
            self.sessionID = sessionID
            self.date = date
            self.lessonID = lessonID
            self.attempt = attempt
            self.responses = responses
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
    package struct Certificate: Sendable, Hashable {
        package var code, programID: String
        package var programVersion: Int
        package var title: String
        package var schoolID: String?
        package var issuedOn: String
        package var validUntil: String?
        package var issuedAt, issuedBy: String
        package var revokedOn, revokedBy, revocationReason: String?

        package init(code: String, programID: String, programVersion: Int, title: String, schoolID: String?, issuedOn: String, validUntil: String?, issuedAt: String, issuedBy: String, revokedOn: String?, revokedBy: String?, revocationReason: String?) {
            self.code = code
            self.programID = programID
            self.programVersion = programVersion
            self.title = title
            self.schoolID = schoolID
            self.issuedOn = issuedOn
            self.validUntil = validUntil
            self.issuedAt = issuedAt
            self.issuedBy = issuedBy
            self.revokedOn = revokedOn
            self.revokedBy = revokedBy
            self.revocationReason = revocationReason
        }
    }

    package var studentID, givenName, familyName, grade: String
    package var identifier: String?
    package var directoryOptOut: Bool
    package var enrollments: [Enrollment] = []
    package var marks: [Mark] = []
    package var quizAttempts: [QuizAttempt] = []
    package var certificates: [Certificate] = []
    /// Audit events about the student, their marks and quiz attempts, the sessions they were
    /// marked at (corrections of the whole session), and their certificates.
    package var events: [AuditEvent] = []

    package init(studentID: String, givenName: String, familyName: String, grade: String, identifier: String?, directoryOptOut: Bool) {
        self.studentID = studentID
        self.givenName = givenName
        self.familyName = familyName
        self.grade = grade
        self.identifier = identifier
        self.directoryOptOut = directoryOptOut
    }
}
