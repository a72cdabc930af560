import BridgesCore
import Foundation

/// One row of an attendance file, as `session import` reads it.
package struct ImportedMark: Sendable {
    package var line: Int
    package var date: String
    package var lessonID: String
    package var lessonVersion: Int
    package var classID: String
    package var officerID: String
    package var minutes: Int
    package var studentID: String
    package var status: AttendanceStatus
    package var recordedAt: String?
    package var recordedBy: String?

    package init(line: Int, date: String, lessonID: String, lessonVersion: Int, classID: String, officerID: String, minutes: Int,
                 studentID: String, status: AttendanceStatus, recordedAt: String?, recordedBy: String?) {
        self.line = line
        self.date = date
        self.lessonID = lessonID
        self.lessonVersion = lessonVersion
        self.classID = classID
        self.officerID = officerID
        self.minutes = minutes
        self.studentID = studentID
        self.status = status
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}

/// What an import did (or, refused, would have done).
package struct SessionImportSummary: Sendable {
    package var rows = 0
    package var sessionsCreated = 0
    package var sessionsExtended = 0
    package var marksAdded = 0
    package var marksUnchanged = 0

    package init() {}
}

/// A session an import created that leaves enrolled students without a mark.
package struct PartlyMarkedSession: Sendable, Hashable {
    /// The most student ids listed; `unmarkedCount` says how many there are.
    package static let listed = 20
    /// The file's first row of the session.
    package var line: Int
    package var classID: String
    package var lessonID: String
    package var date: String
    package var unmarked: [String]
    package var unmarkedCount: Int

    package init(line: Int, classID: String, lessonID: String, date: String, unmarked: [String], unmarkedCount: Int) {
        self.line = line
        self.classID = classID
        self.lessonID = lessonID
        self.date = date
        self.unmarked = unmarked
        self.unmarkedCount = unmarkedCount
    }
}

/// What is wrong with one row of an import: the row's line, and the message for it.
package struct SessionImportProblem: Sendable, Hashable {
    package var line: Int
    /// The kind of problem, as `Diagnostic.code` names it (`session-import.unknown-student`).
    package var code: String
    package var message: Message

    package init(line: Int, code: String, message: Message) {
        self.line = line
        self.code = code
        self.message = message
    }
}

/// Thrown by an import's feed to stop early (an empty file, a bad header, unreadable CSV): what
/// was taken is rolled back, and the feed has said why.
package struct ImportStopped: Error {
    package init() {}
}
