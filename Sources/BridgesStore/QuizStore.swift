import BridgesCore
import Foundation

/// One attempt to record: a student's responses, and the sheet line it came from.
package struct QuizAttemptRequest: Sendable {
    package var studentID: String
    package var responses: QuizResponses
    package var line: Int?

    package init(studentID: String, responses: QuizResponses, line: Int? = nil) {
        self.studentID = studentID
        self.responses = responses
        self.line = line
    }
}

/// Every reason a set of attempts was refused.
package struct SessionRefusals: Error, Sendable {
    package var all: [SessionRefusal]
    package init(_ all: [SessionRefusal]) { self.all = all }
}

/// Why an attempt was not voided; nothing was written.
package enum QuizVoidRefusal: Sendable, Error {
    case session(SessionRefusal)
    case noAttempt(student: String, session: Int64, attempt: Int, attempts: [Int])
    case alreadyVoided(student: String, session: Int64, attempt: Int, at: String, by: String, reason: String)
}

/// A recorded attempt, marked, with the student's best at this lesson's quiz so far.
package struct RecordedQuizAttempt: Sendable {
    package var studentID: String
    package var attempt: Int
    package var mark: QuizMark
    package var bestPercent: Double
    package var bestPassed: Bool

    package init(studentID: String, attempt: Int, mark: QuizMark, bestPercent: Double, bestPassed: Bool) {
        self.studentID = studentID
        self.attempt = attempt
        self.mark = mark
        self.bestPercent = bestPercent
        self.bestPassed = bestPassed
    }
}
