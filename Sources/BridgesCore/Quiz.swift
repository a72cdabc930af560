/// A lesson's quiz and its answer key.
public struct Quiz: Sendable, Hashable, Codable {
    public static let defaultPassPercent = 70

    public var passPercent: Int
    public var questions: [Question]

    public init(passPercent: Int = Quiz.defaultPassPercent, questions: [Question]) {
        self.passPercent = passPercent
        self.questions = questions
    }

    public var possiblePoints: Int { questions.reduce(0) { $0 + $1.points } }

    public func question(id: String) -> Question? { questions.first { $0.id == id } }

    /// Each question's position by id, built once so that looking up every answer stays linear.
    public var questionIndex: [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(questions.count)
        for (offset, question) in questions.enumerated() where index[question.id] == nil { index[question.id] = offset }
        return index
    }
}

public struct Question: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case single, multiple
        case trueFalse = "true-false"
        case short

        /// Single and multiple choice questions have choices; the others have answers.
        public var hasChoices: Bool { self == .single || self == .multiple }
    }

    public var id: String
    public var kind: Kind
    public var points: Int
    /// The objective this question checks, if the author said.
    public var objectiveID: String?
    public var prompt: String
    public var choices: [Choice]
    /// The accepted answers: one `true`/`false` for a true-false question, any number for short.
    public var answers: [String]
    public var explanation: String?

    public init(
        id: String, kind: Kind, points: Int = 1, objectiveID: String? = nil, prompt: String,
        choices: [Choice] = [], answers: [String] = [], explanation: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.points = points
        self.objectiveID = objectiveID
        self.prompt = prompt
        self.choices = choices
        self.answers = answers
        self.explanation = explanation
    }

    public var correctChoiceIDs: Set<String> { Set(choices.filter(\.correct).map(\.id)) }
}

public struct Choice: Sendable, Hashable, Codable {
    public var id: String
    public var correct: Bool
    public var text: String

    public init(id: String, correct: Bool = false, text: String) {
        self.id = id
        self.correct = correct
        self.text = text
    }
}
