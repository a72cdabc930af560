import BridgesCore
import Foundation

/// Which rows a report covers. Every part is optional; dates are `YYYY-MM-DD`, already checked.
///
/// `from`/`to` apply to the session date (attendance, summary, program-report) or to the issue
/// date (certificates, and the certificate counts of program-report).
package struct ReportFilter: Sendable, Hashable {
    package var programID: String?
    package var schoolID: String?
    package var from: String?
    package var to: String?

    package init(programID: String? = nil, schoolID: String? = nil, from: String? = nil, to: String? = nil) {
        self.programID = programID
        self.schoolID = schoolID
        self.from = from
        self.to = to
    }
}

/// One student's status at one session: a row of the attendance report.
package struct AttendanceReportRow: Sendable, Hashable {
    package var sessionID: Int64
    package var sessionDate: String
    package var programID: String
    package var lessonID: String
    package var lessonVersion: Int
    package var lessonTitle: String
    package var schoolID: String
    package var classID: String
    package var officerID: String
    package var officerName: String
    package var minutes: Int
    package var studentID: String
    package var familyName: String
    package var givenName: String
    /// As the roster gave it: `K`, `1`…`12`, a CEDS code such as `PK`, or `""`.
    package var grade: String
    package var status: String
    package var recordedAt: String
    package var recordedBy: String

    package init(sessionID: Int64, sessionDate: String, programID: String, lessonID: String, lessonVersion: Int, lessonTitle: String, schoolID: String, classID: String, officerID: String, officerName: String, minutes: Int, studentID: String, familyName: String, givenName: String, grade: String, status: String, recordedAt: String, recordedBy: String) {
        self.sessionID = sessionID
        self.sessionDate = sessionDate
        self.programID = programID
        self.lessonID = lessonID
        self.lessonVersion = lessonVersion
        self.lessonTitle = lessonTitle
        self.schoolID = schoolID
        self.classID = classID
        self.officerID = officerID
        self.officerName = officerName
        self.minutes = minutes
        self.studentID = studentID
        self.familyName = familyName
        self.givenName = givenName
        self.grade = grade
        self.status = status
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}

/// What every summary row of one program is judged against: the program's latest version and
/// which of its lessons have a quiz.
package struct SummaryReportProgram: Sendable {
    package var program: Program
    package var lessonsWithQuiz: Set<String>

    package init(program: Program, lessonsWithQuiz: Set<String>) {
        self.program = program
        self.lessonsWithQuiz = lessonsWithQuiz
    }
}

/// One student against one program: a row of the summary report, before eligibility is judged.
package struct SummaryReportRow: Sendable {
    package var programID: String
    /// The student's classes that had a session of the program in the filter's range, in id
    /// order (usually one), and their schools (distinct, in the same order).
    package var classIDs: [String]
    package var schoolIDs: [String]
    package var studentID: String
    package var familyName: String
    package var givenName: String
    /// Lessons of the program the student was present or late at (any class, make-ups count).
    package var attended: Set<String>
    /// Lessons whose quiz the student passed on their best attempt.
    package var passed: Set<String>
    /// Statuses over every session of the program in the range.
    package var counts: [AttendanceStatus: Int]
    /// The student's current certificate for the program on the as-of date (stored form).
    package var certificateCode: String?

    package init(programID: String, classIDs: [String], schoolIDs: [String], studentID: String, familyName: String, givenName: String, attended: Set<String>, passed: Set<String>, counts: [AttendanceStatus: Int], certificateCode: String?) {
        self.programID = programID
        self.classIDs = classIDs
        self.schoolIDs = schoolIDs
        self.studentID = studentID
        self.familyName = familyName
        self.givenName = givenName
        self.attended = attended
        self.passed = passed
        self.counts = counts
        self.certificateCode = certificateCode
    }
}

/// One certificate: a row of the certificates report.
package struct CertificateReportRow: Sendable, Hashable {
    /// As stored: 16 characters, upper case, no dashes.
    package var code: String
    package var programID: String
    package var title: String
    package var studentID: String
    package var familyName: String
    package var givenName: String
    package var schoolID: String?
    package var issuedOn: String
    package var validUntil: String?
    package var revokedOn: String?
    package var revocationReason: String?

    package init(code: String, programID: String, title: String, studentID: String, familyName: String, givenName: String, schoolID: String?, issuedOn: String, validUntil: String?, revokedOn: String?, revocationReason: String?) {
        self.code = code
        self.programID = programID
        self.title = title
        self.studentID = studentID
        self.familyName = familyName
        self.givenName = givenName
        self.schoolID = schoolID
        self.issuedOn = issuedOn
        self.validUntil = validUntil
        self.revokedOn = revokedOn
        self.revocationReason = revocationReason
    }
}

/// One program at one school: a row of the program report. What each count means is said in
/// `programReport(_:row:)`.
package struct ProgramReportRow: Sendable, Hashable {
    package var programID: String
    package var schoolID: String
    package var sessions: Int
    package var instructionMinutes: Int
    package var officers: Int
    package var studentsEnrolled: Int
    package var studentsReached: Int
    package var certificatesIssued: Int
    package var certificatesRevoked: Int

    package init(programID: String, schoolID: String, sessions: Int, instructionMinutes: Int, officers: Int, studentsEnrolled: Int, studentsReached: Int, certificatesIssued: Int, certificatesRevoked: Int) {
        self.programID = programID
        self.schoolID = schoolID
        self.sessions = sessions
        self.instructionMinutes = instructionMinutes
        self.officers = officers
        self.studentsEnrolled = studentsEnrolled
        self.studentsReached = studentsReached
        self.certificatesIssued = certificatesIssued
        self.certificatesRevoked = certificatesRevoked
    }
}
