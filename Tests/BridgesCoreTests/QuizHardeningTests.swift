import BridgesCore
import Testing

/// Issue 10 items 6 and 10: marking stays linear in the number of questions, and every problem
/// of a set of answers is found at once.
// The limit is a guard against the quadratic lookup, not a timing: the whole suite runs beside
// hundreds of tests that wait on `bridges` processes, which can keep these from a thread for a
// minute on two cores; 300,000 questions marked by scanning the list would take far longer still.
@Suite("Quiz hardening", .timeLimit(.minutes(4)))
struct QuizHardeningTests {
    /// A quiz of `count` true-false questions whose answer is `true`.
    static func bigQuiz(_ count: Int) -> Quiz {
        Quiz(questions: (0..<count).map { Question(id: "q\($0)", kind: .trueFalse, prompt: "Question \($0)", answers: ["true"]) })
    }

    @Test func markingAQuizWithManyQuestionsLooksEachAnswerUpOnce() throws {
        // Given a quiz of 300,000 questions, every one answered (the old lookup per answer scanned
        // the whole list: 45 billion comparisons, far past the time limit)
        let quiz = Self.bigQuiz(300_000)
        var responses: QuizResponses = [:]
        for question in quiz.questions { responses[question.id] = question.id.hasSuffix("7") ? "false" : "true" }

        // When it is marked
        let mark = try quiz.mark(responses)

        // Then every question is marked, in order
        #expect(mark.questions.count == 300_000)
        #expect(mark.possible == 300_000)
        #expect(mark.earned == 270_000)
        #expect(mark.questions[7].earned == 0 && mark.questions[8].earned == 1)
    }

    static let quiz = Quiz(questions: [
        Question(id: "q1", kind: .single, prompt: "?", choices: [Choice(id: "a", text: "A"), Choice(id: "b", correct: true, text: "B")]),
        Question(id: "q2", kind: .trueFalse, prompt: "?", answers: ["true"]),
        Question(id: "q3", kind: .short, prompt: "?", answers: ["911"]),
        Question(id: "seatbelt", kind: .trueFalse, prompt: "?", answers: ["true"]),
    ])

    @Test func everyProblemOfASetOfAnswersIsFoundAtOnce() {
        // Given answers with a question three times, a blank, two typos and a bad choice
        let (answers, malformed) = Quiz.parseAnswerList("q1=a,Q1=b,q1=c,q2=,seatbelts=true,qq9=1,q3=911,q1=z")
        #expect(malformed.isEmpty)
        let check = Self.quiz.check(answers)
        // Then each is a problem, the repeated question once with all its answers
        #expect(check.problems.map(\.problem) == [
            .answeredTwice(question: "q1", answers: ["a", "b", "c", "z"]),
            .blank(question: "q2"),
            .unknownQuestion("seatbelts", known: ["q1", "q2", "q3", "seatbelt"]),
            .unknownQuestion("qq9", known: ["q1", "q2", "q3", "seatbelt"]),
        ])
        #expect(check.problems[2].problem.description.contains("did you mean 'seatbelt'?"))
        // q9 is as near q1 as q2 or q3: no guess
        #expect(!check.problems[3].problem.description.contains("did you mean"))
        #expect(check.unanswered == ["seatbelt"])
    }

    @Test func everyMalformedPartIsReported() {
        let (answers, malformed) = Quiz.parseAnswerList("q1=b,q2,=true,q3=911")
        #expect(malformed == [.malformed("q2"), .malformed("=true")])
        #expect(answers.map(\.questionID) == ["q1", "q3"])
    }

    @Test func answersThatAreAllRightHaveNoProblemsAndListWhatIsLeftOut() throws {
        let (answers, _) = Quiz.parseAnswerList("q1=b, q3 = 911")
        let check = Self.quiz.check(answers)
        #expect(check.problems.isEmpty)
        #expect(check.unanswered == ["q2", "seatbelt"])
        #expect(try Self.quiz.mark(check.responses).earned == 2)
    }

    @Test func badChoicesAndTrueFalseAnswersAreProblemsWithTheirColumn() {
        let check = Self.quiz.check([QuizAnswer(questionID: "q1", answer: "z", column: 2), QuizAnswer(questionID: "q2", answer: "yes", column: 3)])
        #expect(check.problems.map(\.answer?.column) == [2, 3])
        #expect(check.problems.map(\.problem) == [.unknownChoice(question: "q1", choice: "z", known: ["a", "b"]), .notTrueOrFalse(question: "q2", response: "yes")])
    }
}
