/// What an erasure did: the student, the pseudonym they now carry, how many trail fields lost
/// their personal data, and the records kept as counts.
public struct ErasedStudent: Sendable, Hashable {
    public var studentID: String
    public var pseudonym: String
    public var trailFieldsErased: Int
    public var marks: Int
    public var quizAttempts: Int
    public var certificates: Int

    public init(studentID: String, pseudonym: String, trailFieldsErased: Int, marks: Int, quizAttempts: Int, certificates: Int) {
        self.studentID = studentID
        self.pseudonym = pseudonym
        self.trailFieldsErased = trailFieldsErased
        self.marks = marks
        self.quizAttempts = quizAttempts
        self.certificates = certificates
    }
}
