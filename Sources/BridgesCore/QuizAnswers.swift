/// One answer as a person wrote it: the question it names and what they answered, and where it
/// stands (a sheet's column, 1-based), so that every problem can be pointed at.
public struct QuizAnswer: Sendable, Hashable {
    public var questionID: String
    public var answer: String
    public var column: Int?

    public init(questionID: String, answer: String, column: Int? = nil) {
        self.questionID = questionID
        self.answer = answer
        self.column = column
    }
}

/// What checking a set of answers against a quiz found: the responses to mark when there is no
/// problem, every problem (each with the answer it is about), and the questions left unanswered.
public struct QuizAnswerCheck: Sendable {
    public struct Found: Sendable, Hashable {
        public var problem: QuizResponseProblem
        /// The answer it is about, if it is about one.
        public var answer: QuizAnswer?
    }

    public var responses: QuizResponses
    public var problems: [Found]
    /// The quiz's questions with no answer, in the quiz's order: marked wrong, worth a warning.
    public var unanswered: [String]
}

extension Quiz {
    /// Parses `q1=a,q2=a+c,q3=true` keeping every part as written, so that nothing is lost before
    /// `check` sees it: a question named twice stays twice, a blank answer stays blank. Question
    /// ids are compared in lower case, as a sheet's columns are. Parts that are not
    /// `question=answer` are problems, all of them.
    public static func parseAnswerList(_ text: String) -> (answers: [QuizAnswer], problems: [QuizResponseProblem]) {
        var answers: [QuizAnswer] = []
        var problems: [QuizResponseProblem] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            if String(part).isBlank { continue }
            guard let equals = part.firstIndex(of: "=") else {
                problems.append(.malformed(String(part).trimmingWhitespace()))
                continue
            }
            let id = String(part[..<equals]).trimmingWhitespace().lowercased()
            let answer = String(part[part.index(after: equals)...]).trimmingWhitespace()
            if id.isEmpty {
                problems.append(.malformed(String(part).trimmingWhitespace()))
                continue
            }
            answers.append(QuizAnswer(questionID: id, answer: answer, column: nil))
        }
        return (answers, problems)
    }

    /// Checks every answer at once, in one pass over the answers and one over the questions:
    /// unknown questions (with the nearest known id), questions answered more than once, blank
    /// answers, unknown choices and answers that are not true or false are all reported together;
    /// the questions left unanswered are listed (they are marked wrong).
    public func check(_ answers: [QuizAnswer]) -> QuizAnswerCheck {
        let index = questionIndex
        let known = questions.map(\.id)  // one array, shared by every unknown-question problem
        // Each problem with the position of the answer it is about, so that a repeated question,
        // known only once every answer is seen, is said where it was first repeated.
        var problems: [(position: Int, found: QuizAnswerCheck.Found)] = []
        var responses: QuizResponses = [:]
        var given: [String: [String]] = [:]
        var repeated: [(position: Int, answer: QuizAnswer)] = []
        for (position, answer) in answers.enumerated() {
            guard let question = index[answer.questionID] else {
                problems.append((position, .init(problem: .unknownQuestion(answer.questionID, known: known), answer: answer)))
                continue
            }
            if given[answer.questionID] != nil {
                if given[answer.questionID]!.count == 1 { repeated.append((position, answer)) }
                given[answer.questionID]!.append(answer.answer)
                continue
            }
            given[answer.questionID] = [answer.answer]
            if answer.answer.isBlank {
                problems.append((position, .init(problem: .blank(question: answer.questionID), answer: answer)))
                continue
            }
            do {
                _ = try questions[question].accepts(answer.answer)
                responses[answer.questionID] = answer.answer
            } catch {
                problems.append((position, .init(problem: error, answer: answer)))
            }
        }
        for (position, answer) in repeated {
            problems.append((position, .init(problem: .answeredTwice(question: answer.questionID, answers: given[answer.questionID] ?? []), answer: answer)))
        }
        if !repeated.isEmpty { problems.sort { $0.position < $1.position } }
        let unanswered = questions.map(\.id).filter { given[$0] == nil }
        return QuizAnswerCheck(responses: responses, problems: problems.map(\.found), unanswered: unanswered)
    }
}

extension QuizResponseProblem {
    /// The one known id nearest to `id` (one or two typing mistakes away), for "did you mean";
    /// nil when none is near or several are equally near (`q9` is as near to `q1` as to `q2`).
    static func nearest(to id: String, in known: [String]) -> String? {
        let target = Array(id.lowercased().unicodeScalars)
        let limit = min(2, max(1, target.count / 2))
        var best: (id: String, distance: Int)?
        var tied = false
        for candidate in known {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars), limit: limit)
            guard distance <= limit else { continue }
            if let current = best, distance == current.distance {
                tied = true
            } else if distance < (best?.distance ?? .max) {
                best = (candidate, distance)
                tied = false
            }
        }
        return tied ? nil : best?.id
    }

    /// Levenshtein distance, giving up past `limit` (then returns `limit + 1`).
    private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
