import BridgesCore
import Foundation

/// What a retention purge takes (or, in a dry run, would take).
package struct RetentionPurge: Sendable, Hashable {
    /// A session dated before the cut-off, and what of its students' records goes.
    package struct Session: Sendable, Hashable {
        package var id: Int64
        package var date: String
        package var classID: String
        package var lessonID: String
        package var marks: Int
        package var quizAttempts: Int

        package init(id: Int64, date: String, classID: String, lessonID: String, marks: Int, quizAttempts: Int) {
            self.id = id
            self.date = date
            self.classID = classID
            self.lessonID = lessonID
            self.marks = marks
            self.quizAttempts = quizAttempts
        }
    }

    /// A certificate whose validity (or revocation) ended before the cut-off. One exported as an
    /// Open Badge (it has a `statusIndex`) is never purged: the published revocation list reads
    /// its bit from the row, and a removed row would clear a revocation or free its index.
    package struct Certificate: Sendable, Hashable {
        package var code: String
        package var programID: String
        package var ended: String

        package init(code: String, programID: String, ended: String) {
            self.code = code
            self.programID = programID
            self.ended = ended
        }
    }

    package var before: String
    package var sessions: [Session] = []
    package var certificates: [Certificate] = []
    /// Students under a legal hold whose records past the cut-off were kept.
    package var heldStudents: [String] = []

    package init(before: String, sessions: [Session] = [], certificates: [Certificate] = [], heldStudents: [String] = []) {
        self.before = before
        self.sessions = sessions
        self.certificates = certificates
        self.heldStudents = heldStudents
    }

    package var marks: Int { sessions.reduce(0) { $0 + $1.marks } }
    package var quizAttempts: Int { sessions.reduce(0) { $0 + $1.quizAttempts } }
}
