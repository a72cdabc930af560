/// What a student answered to one question, as typed: `a`, `a+c`, `true`, `call 911`.
public typealias QuizResponses = [String: String]

/// The marking of one attempt at a quiz, exactly as lesson-plan-format.md says.
public struct QuizMark: Sendable, Hashable, Codable {
    public struct QuestionMark: Sendable, Hashable, Codable {
        public var questionID: String
        public var response: String?
        public var earned: Int
        public var possible: Int
        public var correct: Bool { earned == possible }
    }

    public var questions: [QuestionMark]
    public var earned: Int
    public var possible: Int
    public var passPercent: Int

    /// Points earned over points possible, as a percentage (0–100, not rounded).
    public var percent: Double { possible == 0 ? 100 : Double(earned) * 100 / Double(possible) }
    /// Passes at `passPercent` or above, compared exactly (7 of 10 passes a 70 % quiz).
    public var passed: Bool { earned * 100 >= passPercent * possible }
}

/// A response that cannot be marked: it names an unknown question or an unknown choice.
public enum QuizResponseProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownQuestion(String, known: [String])
    case unknownChoice(question: String, choice: String, known: [String])
    case notTrueOrFalse(question: String, response: String)
    case malformed(String)
    /// The same question answered more than once (every answer given, in order).
    case answeredTwice(question: String, answers: [String])
    /// A question named with nothing after `=`.
    case blank(question: String)

    public var description: String {
        switch self {
        case .unknownQuestion(let id, let known):
            "the quiz has no question '\(id)'" + (Self.nearest(to: id, in: known).map { "; did you mean '\($0)'?" } ?? "")
                + " (its questions are \(known.count <= 20 ? known.joined(separator: ", ") : known.prefix(20).joined(separator: ", ") + " and \(known.count - 20) more"))"
        case .unknownChoice(let question, let choice, let known):
            "question '\(question)' has no choice '\(choice)' (its choices are \(known.joined(separator: ", ")))"
        case .notTrueOrFalse(let question, let response):
            "question '\(question)' is true-false: answer true or false, not '\(response)'"
        case .malformed(let text):
            "'\(text)' is not of the form question=answer, e.g. q1=a,q2=a+c,q3=true"
        case .answeredTwice(let question, let answers):
            "question '\(question)' is answered \(answers.count) times (\(answers.map { "'\($0)'" }.joined(separator: ", "))); give each question one answer"
        case .blank(let question):
            "question '\(question)' has a blank answer; give the answer, or leave the question out (it is then marked wrong)"
        }
    }
}

extension Quiz {
    /// Marks one attempt. A question left unanswered earns nothing; an answer naming a question or
    /// a choice that does not exist is a problem (the officer mistyped), never silently zero.
    public func mark(_ responses: QuizResponses) throws(QuizResponseProblem) -> QuizMark {
        let index = questionIndex
        for id in responses.keys.sorted() where index[id] == nil {
            throw .unknownQuestion(id, known: questions.map(\.id))
        }
        var marks: [QuizMark.QuestionMark] = []
        var earned = 0
        for question in questions {
            let response = responses[question.id]
            var right = false
            if let response { right = try question.accepts(response) }
            let points = right ? question.points : 0
            earned += points
            marks.append(.init(questionID: question.id, response: response, earned: points, possible: question.points))
        }
        return QuizMark(questions: marks, earned: earned, possible: possiblePoints, passPercent: passPercent)
    }

    /// Parses `q1=a,q2=a+c,q3=true,q4=call 911`. Short answers may not contain a comma here;
    /// a quiz sheet CSV carries any text.
    public static func parseResponses(_ text: String) throws(QuizResponseProblem) -> QuizResponses {
        var responses: QuizResponses = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = part.firstIndex(of: "=") else { throw .malformed(String(part)) }
            let id = String(part[..<equals]).trimmingWhitespace()
            let answer = String(part[part.index(after: equals)...]).trimmingWhitespace()
            guard !id.isEmpty else { throw .malformed(String(part)) }
            responses[id] = answer
        }
        return responses
    }
}

extension Question {
    /// Whether a response earns this question's points.
    public func accepts(_ response: String) throws(QuizResponseProblem) -> Bool {
        let given = response.trimmingWhitespace()
        switch kind {
        case .single, .multiple:
            let known = choices.map(\.id)
            var picked: Set<String> = []
            for part in given.split(whereSeparator: { $0 == "+" || $0 == " " || $0 == ";" }) {
                let id = String(part).lowercased()
                guard known.contains(id) else { throw .unknownChoice(question: self.id, choice: String(part), known: known) }
                picked.insert(id)
            }
            if kind == .single && picked.count > 1 { return false }
            return !picked.isEmpty && picked == correctChoiceIDs
        case .trueFalse:
            let value = given.lowercased()
            guard value == "true" || value == "false" else { throw .notTrueOrFalse(question: id, response: response) }
            return answers.first.map { $0.trimmingWhitespace().lowercased() == value } ?? false
        case .short:
            let normal = Self.normalizedShortAnswer(given)
            return answers.contains { Self.normalizedShortAnswer($0) == normal }
        }
    }

    /// Trimmed, case-folded, inner white space collapsed: how short answers are compared.
    public static func normalizedShortAnswer(_ text: String) -> String {
        text.collapsingWhitespace().caseFolded()
    }
}

extension String {
    /// Unicode case folding (full, as in `ß` → `ss`), for comparisons that ignore case.
    public func caseFolded() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            // lowercaseMapping handles the common cases; the few whose fold differs from their
            // lowercase (ß, final sigma, ﬁ ligatures) are folded by uppercasing first.
            let props = scalar.properties
            if props.changesWhenCaseFolded {
                result += String(scalar).uppercased().lowercased()
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
