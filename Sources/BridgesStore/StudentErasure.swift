import BridgesCore
import Foundation

/// What an erasure did: the pseudonym the student now has, how many trail fields lost their
/// personal data, and the records kept as counts.
package struct StudentErasure: Sendable, Hashable {
    package var pseudonym: String
    package var trailFieldsErased: Int
    package var marks: Int
    package var quizAttempts: Int
    package var certificates: Int

    package init(pseudonym: String, trailFieldsErased: Int, marks: Int, quizAttempts: Int, certificates: Int) {
        self.pseudonym = pseudonym
        self.trailFieldsErased = trailFieldsErased
        self.marks = marks
        self.quizAttempts = quizAttempts
        self.certificates = certificates
    }
}

/// Why an erasure or a hold was refused, with nothing written.
package enum StudentRecordRefusal: Error, Sendable, Hashable {
    case noSuchStudent
    case alreadyErased(at: String)
    case underHold(reason: String)
    case alreadyHeld(reason: String)
    case notHeld
}
