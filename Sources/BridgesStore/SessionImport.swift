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

/// What every store says about an imported row, in the same words (the sinks differ in how they
/// find a problem, never in how they say it).
extension SessionImportProblem {
    /// The session a row names, as far as its problems need it.
    package struct SessionFacts: Sendable {
        package var id: Int64
        package var lessonVersion: Int
        package var officerID: String
        package var minutes: Int
        /// Made by this import (at `firstLine`), not stored before.
        package var createdHere: Bool
        package var firstLine: Int

        package init(id: Int64, lessonVersion: Int, officerID: String, minutes: Int, createdHere: Bool, firstLine: Int) {
            self.id = id
            self.lessonVersion = lessonVersion
            self.officerID = officerID
            self.minutes = minutes
            self.createdHere = createdHere
            self.firstLine = firstLine
        }
    }

    /// Where a row's lesson version, officer or minutes contradict its session's: one problem
    /// each (none when the row agrees).
    package static func contradictions(of row: ImportedMark, with session: SessionFacts) -> [SessionImportProblem] {
        let origin = session.createdHere ? "line \(session.firstLine) of this file" : "stored session \(session.id)"
        var problems: [SessionImportProblem] = []
        if row.lessonVersion != session.lessonVersion {
            problems.append(SessionImportProblem(line: row.line, code: "session-import.contradicts-session", message: "lesson_version \(row.lessonVersion) contradicts version \(session.lessonVersion) of \(origin) (class \(row.classID), lesson \(row.lessonID), \(row.date))"))
        }
        if row.officerID != session.officerID {
            problems.append(SessionImportProblem(line: row.line, code: "session-import.contradicts-session", message: "officer_id \(row.officerID) contradicts officer \(session.officerID) of \(origin)"))
        }
        if row.minutes != session.minutes {
            problems.append(SessionImportProblem(line: row.line, code: "session-import.contradicts-session", message: "minutes \(row.minutes) contradicts \(session.minutes) minutes of \(origin)"))
        }
        return problems
    }

    /// A status other than the one stored (or given by an earlier row) for the student.
    package static func statusConflict(line: Int, studentID: String, status: AttendanceStatus, stored: String, session: SessionFacts) -> SessionImportProblem {
        let where_ = session.createdHere ? "an earlier row of this file" : "stored session \(session.id) (or an earlier row of this file)"
        return SessionImportProblem(line: line, code: "session-import.status-conflict", message: "student \(studentID) is \(status) here but \(stored) in \(where_); a student has one status per session")
    }

    package static func unknownStudent(line: Int, studentID: String) -> SessionImportProblem {
        SessionImportProblem(line: line, code: "session-import.unknown-student", message: "student \(studentID) is not in the roster; import the roster first")
    }

    /// Why a row's session cannot be had: its lesson version, class or officer is not stored.
    package static func unknownParts(of row: ImportedMark, lessonVersion: Bool, schoolClass: Bool, officer: Bool) -> [SessionImportProblem] {
        var problems: [SessionImportProblem] = []
        if !lessonVersion {
            problems.append(SessionImportProblem(line: row.line, code: "session-import.unknown-lesson-version", message: "lesson \(row.lessonID) version \(row.lessonVersion) is not stored; load that version of the lesson first"))
        }
        if !schoolClass {
            problems.append(SessionImportProblem(line: row.line, code: "session-import.unknown-class", message: "class \(row.classID) is not in the roster; import the roster first"))
        }
        if !officer {
            problems.append(SessionImportProblem(line: row.line, code: "session-import.unknown-officer", message: "officer \(row.officerID) is not known; add them with \(.officerAdd) \(row.officerID) \(field: .name) …"))
        }
        return problems
    }
}
